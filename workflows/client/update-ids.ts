// The ids of the Workflow Updates a request sends. A request with an Idempotency-Key derives
// them from (account, key, the key's generation), the workflow and the update's rank among
// that request's updates to it. Sent again under the same key (the API process died with the
// request in flight, or answered 429/503), the request sends the same updates under the same
// ids, and Temporal answers an update it has already run with that run's outcome instead of
// running it again: a retried finalize returns the finalized invoice, not "already finalized".
// Without a key every update gets a random id.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';

export interface UpdateIdScope {
  // null until the request holds its key (a deferred claim takes it late).
  base: string | null;
  sent: Map<string, number>;
}

const scopes = new AsyncLocalStorage<UpdateIdScope>();

export function newUpdateIdScope(): UpdateIdScope {
  return { base: null, sent: new Map() };
}

export function runInUpdateIdScope(scope: UpdateIdScope, next: () => void): void {
  scopes.run(scope, next);
}

export function holdKey(scope: UpdateIdScope, accountId: string, key: string, generation: number): void {
  scope.base = createHash('sha256')
    .update(JSON.stringify([accountId, key, generation]))
    .digest('base64url');
}

export function updateIdFor(workflowId: string): string {
  const scope = scopes.getStore();
  if (!scope?.base) return randomUUID();
  const rank = (scope.sent.get(workflowId) ?? 0) + 1;
  scope.sent.set(workflowId, rank);
  const own = createHash('sha256').update(`${scope.base}/${workflowId}`).digest('base64url').slice(0, 32);
  return `idem-${own}-${rank}`;
}
