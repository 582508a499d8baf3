// The one way this project sends a Workflow Update, from the API or from an activity: one at a
// time per workflow in this process (./workflow-gate.ts), sent again while Temporal refuses or
// drops it (./update-retry.ts), all within one bounded wait that ends in Stripe's 429
// lock_timeout.
import client from 'prom-client';
import { DEFAULT_UPDATE_BUDGET_MS, sendUpdateUntilTaken } from './update-retry';
import { updateIdFor } from './update-ids';
import { WorkflowGate } from './workflow-gate';

// On the process's /metrics (worker/metrics-server.ts), the API's as well as the worker's.
const refusals = new client.Counter({
  name: 'invoicing_workflow_update_refusals_total',
  help: 'Workflow Updates Temporal refused before running them, by kind, and whether the API sent them again or gave up (429 lock_timeout)',
  labelNames: ['refusal', 'outcome'] as const,
});

const gate = new WorkflowGate();
let waitMs = DEFAULT_UPDATE_BUDGET_MS;

// The API's configured wait (UPDATE_WAIT_MS), set once when it starts listening.
export function setUpdateWait(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0)
    throw new Error(`UPDATE_WAIT_MS must be a positive number of ms, not ${ms}`);
  waitMs = ms;
}

export function sendWorkflowUpdate<T>(
  workflowId: string,
  send: (updateId: string) => Promise<T>,
  budgetMs = waitMs,
): Promise<T> {
  const started = Date.now();
  const updateId = updateIdFor(workflowId);
  return gate.run(workflowId, budgetMs, () =>
    sendUpdateUntilTaken(send, {
      budgetMs: budgetMs - (Date.now() - started),
      updateId,
      onRefusal: (refusal, outcome) => refusals.inc({ refusal, outcome }),
    }),
  );
}
