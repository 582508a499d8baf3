// The Idempotency-Key a request holds (res.locals.idempotency), as the middleware
// (./idempotency.ts) and the ids it derives (./idempotent-ids.ts) share it.
import type { Database } from '../../db/connection';
import type { KeyFingerprint, KeyOwner } from '../../db/repositories/idempotency-keys';
import type { UpdateIdScope } from '../../workflows/client/update-ids';

export interface HeldKey {
  key: string;
  generation: number;
  owner: KeyOwner;
  // Set while the claim is deferred (see DEFERRED_CLAIM): no statement has taken the key yet.
  deferred?: KeyFingerprint;
  db: Database;
  // The answer stored with the route's own write (writeWithAnswer): the one sent, as replays will.
  storedAnswer?: string;
  // The key turned out to be another request's: its answer (a replay) or a refusal went out.
  answeredElsewhere?: boolean;
  // Where the request's update ids come from once the key is held (workflows/client/update-ids.ts).
  updateIds: UpdateIdScope;
}
