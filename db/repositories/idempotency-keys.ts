// Idempotency keys in Postgres, so every API process (and a restarted one) sees the same keys.
// Every state change is one statement guarded by the row's owner (request_id), so two
// processes racing on one key never both believe they hold it.
import type { Knex } from 'knex';
import type { Database } from '../connection';
import { prepared } from '../prepared-statements';

export const KEY_LIFETIME_SECONDS = 24 * 60 * 60; // Stripe keeps keys at least 24 hours
// A key in flight for longer than this was left by a crashed or hung request: a retry with the
// same parameters may take it over (the create's deterministic id makes that safe).
export const STALE_LOCK_SECONDS = 60;
// Expired keys keep a small tombstone (no response, no fingerprint) this long, so a key reused
// after expiry still gets a new generation, and so new ids, instead of its first life's.
export const TOMBSTONE_SECONDS = 30 * 24 * 60 * 60;

export interface KeyFingerprint {
  accountId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  requestId: string;
}

export interface IdempotencyKeyRow {
  account_id: string;
  idempotency_key: string;
  generation: number;
  method: string;
  path: string;
  request_hash: string | null;
  status: 'in_flight' | 'complete' | 'released';
  request_id: string;
  response_status: number | null;
  response_body: string | null;
}

export type Claim = { claimed: true; generation: number } | { claimed: false; row: IdempotencyKeyRow };

// Takes the key when it is new, expired, released after a failure that may be retried, or held
// by a request that went stale; otherwise answers the row as it stands.
export async function claimIdempotencyKey(db: Database, print: KeyFingerprint): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await prepared(
      db.raw(
        `insert into idempotency_keys as k
         (account_id, idempotency_key, method, path, request_hash, status, request_id)
       values (?, ?, ?, ?, ?, 'in_flight', ?)
       on conflict (account_id, idempotency_key) do update set
         generation = case when k.created < now() - make_interval(secs => ?)
                           then k.generation + 1 else k.generation end,
         created = case when k.created < now() - make_interval(secs => ?) then now() else k.created end,
         method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
         status = 'in_flight', request_id = excluded.request_id, locked_at = now(),
         response_status = null, response_body = null
       where k.created < now() - make_interval(secs => ?)
          or (k.status = 'released' and k.request_hash is null)
          or (k.method = excluded.method and k.path = excluded.path
              and k.request_hash = excluded.request_hash
              and (k.status = 'released'
                   or (k.status = 'in_flight' and k.locked_at < now() - make_interval(secs => ?))))
       returning generation`,
        [
          print.accountId,
          print.key,
          print.method,
          print.path,
          print.requestHash,
          print.requestId,
          KEY_LIFETIME_SECONDS,
          KEY_LIFETIME_SECONDS,
          KEY_LIFETIME_SECONDS,
          STALE_LOCK_SECONDS,
        ],
      ),
    );
    const taken = (result as { rows: Array<{ generation: number }> }).rows[0];
    if (taken) return { claimed: true, generation: taken.generation };
    const row = (await db('idempotency_keys')
      .where({ account_id: print.accountId, idempotency_key: print.key })
      .first()) as IdempotencyKeyRow | undefined;
    // Gone between the two statements (purged): try the insert again.
    if (row) return { claimed: false, row };
  }
  throw new Error(`idempotency key ${print.key} kept changing under us`);
}

function ownedBy(db: Database, accountId: string, key: string, requestId: string) {
  return db('idempotency_keys').where({
    account_id: accountId,
    idempotency_key: key,
    request_id: requestId,
    status: 'in_flight',
  });
}

export interface KeyOwner {
  accountId: string;
  key: string;
  requestId: string;
}

// The statement storing the answer, unrun: a route whose write is one statement runs it in that
// statement (writeAsOneStatement), so the object and its stored answer commit together.
export function completeIdempotencyKeyQuery(
  db: Database,
  owner: KeyOwner,
  response: { status: number; body: string },
): Knex.QueryBuilder {
  return ownedBy(db, owner.accountId, owner.key, owner.requestId).update({
    status: 'complete',
    response_status: response.status,
    response_body: response.body,
  });
}

// A new key stored already answered, unrun: a route whose write is one statement claims and
// answers a key no request has used in that same statement (api/stripe/idempotency.ts). If the
// key exists in any state, the insert fails (a unique violation) and the whole statement with it.
export function insertAnsweredKeyQuery(
  db: Database,
  print: KeyFingerprint,
  response: { status: number; body: string },
): Knex.QueryBuilder {
  return db('idempotency_keys').insert({
    account_id: print.accountId,
    idempotency_key: print.key,
    method: print.method,
    path: print.path,
    request_hash: print.requestHash,
    status: 'complete',
    request_id: print.requestId,
    response_status: response.status,
    response_body: response.body,
  });
}

// The generation of a key's first life (the column's default), from which a new key's ids derive.
export const FIRST_GENERATION = 0;

export async function completeIdempotencyKey(
  db: Database,
  owner: KeyOwner,
  response: { status: number; body: string },
): Promise<void> {
  await prepared(completeIdempotencyKeyQuery(db, owner, response));
}

// Gives the key back without a stored response. anyParameters: the endpoint never started (the
// parameters failed validation), so the next request may differ; otherwise only a retry of the
// same request may take the key, since the first attempt may have changed something.
export async function releaseIdempotencyKey(
  db: Database,
  owner: KeyOwner,
  options: { anyParameters: boolean },
): Promise<void> {
  await ownedBy(db, owner.accountId, owner.key, owner.requestId).update({
    status: 'released',
    ...(options.anyParameters ? { request_hash: null } : {}),
  });
}

// Expired keys lose their response and fingerprint; their tombstones go after TOMBSTONE_SECONDS.
// Bounded batches keep each run short; it runs again on later requests.
export async function purgeExpiredIdempotencyKeys(db: Database, batch = 1000): Promise<void> {
  await db.raw(
    `update idempotency_keys set response_body = null, request_hash = null
     where ctid in (select ctid from idempotency_keys
                    where created < now() - make_interval(secs => ?) and response_body is not null
                    limit ?)`,
    [KEY_LIFETIME_SECONDS, batch],
  );
  await db.raw(
    `delete from idempotency_keys
     where ctid in (select ctid from idempotency_keys where created < now() - make_interval(secs => ?) limit ?)`,
    [TOMBSTONE_SECONDS, batch],
  );
}
