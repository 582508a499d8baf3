// Stripe's idempotent requests: a POST or DELETE carrying `Idempotency-Key` runs once per
// (account, key) for 24 hours; later requests with that key get the first response again, byte
// for byte, with `Idempotent-Replayed: true`. Keys live in Postgres (db/repositories/
// idempotency-keys.ts), so they hold across API processes and restarts. Which request a key
// belongs to: ./idempotency-fingerprint.ts; the ids a keyed request makes: ./idempotent-ids.ts.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import { writeAsOneStatement, type Database } from '../../db/connection';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  completeIdempotencyKeyQuery,
  FIRST_GENERATION,
  insertAnsweredKeyQuery,
  type KeyFingerprint,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from '../../db/repositories/idempotency-keys';
import { isUniqueViolation } from '../../db/postgres-errors';
import { DomainError } from '../../workflows/domain/errors';
import { holdKey, newUpdateIdScope, runInUpdateIdScope } from '../../workflows/client/update-ids';
import { toErrorData } from './errors';
import type { HeldKey } from './held-key';
import { fingerprintOf, refusal } from './idempotency-fingerprint';

const MAX_KEY_LENGTH = 255;
const PURGE_EVERY_MS = 60_000;

// POST /v1/customers and POST /v1/invoiceitems usually write one statement (writeWithAnswer).
// For them the key is not claimed up front: that statement inserts it, already answered, so a
// new key costs no statement of its own (plain writes went from 2-3 statements to 1-2). When the
// key exists (a retry, a replay, a concurrent request), that insert fails, nothing is written,
// and the request starts over the usual way: claim, then run the route (route() does it on
// ClaimFirst). Until that statement, such a route does nothing but read; a branch that would
// write otherwise (a workflow update, a transaction) calls requireClaim first.
const DEFERRED_CLAIM = new Set(['POST /v1/customers', 'POST /v1/invoiceitems']);

export class ClaimFirst extends Error {
  constructor() {
    super('the idempotency key must be claimed before this write');
  }
}

export function requireClaim(res: Response): void {
  if ((res.locals.idempotency as HeldKey | undefined)?.deferred) throw new ClaimFirst();
}

// A route whose write is one statement stores its answer in that same statement: the object and
// the key's answer commit together, and the request takes one round trip and one commit fewer.
// `body` is what the route then returns (status 200). Without a key, just the write.
export async function writeWithAnswer(
  db: Database,
  res: Response,
  parts: Knex.QueryBuilder[],
  body: unknown,
): Promise<void> {
  const held = res.locals.idempotency as HeldKey | undefined;
  if (!held) return writeAsOneStatement(db, parts);
  const text = JSON.stringify(body) ?? '';
  const answer = { status: 200, body: text };
  if (held.deferred) {
    try {
      await writeAsOneStatement(db, [insertAnsweredKeyQuery(db, held.deferred, answer), ...parts]);
    } catch (error) {
      // Any unique violation: a retry may fail on the object id it derives from the key before
      // the key's own insert fails (Postgres runs the parts in no set order). Claiming tells
      // which; the route's second run meets the real conflict, if it was not the key.
      if (isUniqueViolation(error)) throw new ClaimFirst();
      throw error;
    }
    held.deferred = undefined;
  } else {
    await writeAsOneStatement(db, [...parts, completeIdempotencyKeyQuery(db, held.owner, answer)]);
  }
  held.storedAnswer = text;
}

function sendJsonText(res: Response, status: number, text: string): void {
  res.status(status).set('Content-Type', 'application/json; charset=utf-8').send(text);
}

// Stripe saves nothing when the endpoint never began: parameters that failed validation, or a
// URL no route answers. The key stays usable with any parameters.
function endpointNeverRan(req: Request, status: number, body: unknown): boolean {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return (status === 400 && typeof code === 'string' && code.startsWith('parameter_')) || !req.route;
}

// Claims the key. Returns the generation held, or null when the key is another request's and
// its first answer has been replayed; throws the refusal (other endpoint or parameters, or
// still in flight).
async function claimOrReplay(db: Database, res: Response, print: KeyFingerprint): Promise<number | null> {
  const claim = await claimIdempotencyKey(db, print);
  if (claim.claimed) return claim.generation;
  const refused = refusal(claim.row, print.method, print.path, print.requestHash);
  if (refused) throw refused;
  res.setHeader('Idempotent-Replayed', 'true');
  res.setHeader('Original-Request', claim.row.request_id);
  sendJsonText(res, claim.row.response_status ?? 200, claim.row.response_body ?? 'null');
  return null;
}

// For route(): a deferred claim met an existing key. Claims it as the middleware would have;
// false when the request has been answered (replayed) instead.
export async function claimDeferredKey(res: Response): Promise<boolean> {
  const held = res.locals.idempotency as HeldKey;
  const { db } = held;
  const print = held.deferred as KeyFingerprint;
  held.deferred = undefined;
  let generation: number | null;
  try {
    generation = await claimOrReplay(db, res, print);
  } catch (refused) {
    held.answeredElsewhere = true;
    throw refused;
  }
  if (generation === null) {
    held.answeredElsewhere = true;
    return false;
  }
  held.generation = generation;
  holdKey(held.updateIds, held.owner.accountId, held.key, generation);
  return true;
}

export function idempotency(db: Database, logger?: Logger) {
  let lastPurge = 0;
  const purgeNow = () => {
    if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    purgeExpiredIdempotencyKeys(db).catch((error: unknown) =>
      logger?.warn({ err: error }, 'purging expired idempotency keys failed'),
    );
  };

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== 'POST' && req.method !== 'DELETE') return next();
    const key = req.header('idempotency-key');
    if (key === undefined) return next();
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new DomainError({
        status: 400,
        type: 'invalid_request_error',
        message: `Invalid Idempotency-Key: keys must be between 1 and ${MAX_KEY_LENGTH} characters long.`,
      });
    }
    const print = fingerprintOf(req, res, key);
    purgeNow();
    res.setHeader('Idempotency-Key', key);
    const owner = { accountId: print.accountId, key, requestId: print.requestId };
    const held: HeldKey = { key, generation: FIRST_GENERATION, owner, db, updateIds: newUpdateIdScope() };
    if (DEFERRED_CLAIM.has(`${print.method} ${print.path}`)) {
      held.deferred = print;
    } else {
      const generation = await claimOrReplay(db, res, print);
      if (generation === null) return;
      held.generation = generation;
      holdKey(held.updateIds, owner.accountId, key, generation);
    }
    res.locals.idempotency = held;

    // Stores the answer, then sends exactly the text stored, so a replay is byte-identical.
    const storeAndSend = async (status: number, text: string, body: unknown): Promise<void> => {
      if (held.deferred) {
        // Answered without the route's write (an error): take the key now, as the route would
        // have at its start, and store the answer as for any claimed key.
        try {
          if (!(await claimDeferredKey(res))) return;
        } catch (error) {
          // Postgres away, say: the key was never taken, so the answer goes out unstored.
          if (!(error instanceof DomainError)) return sendJsonText(res, status, text);
          const { status: refusedStatus, ...refusal } = toErrorData(error);
          return sendJsonText(res, refusedStatus, JSON.stringify({ error: refusal }));
        }
      }
      const store =
        status >= 500 || status === 429
          ? releaseIdempotencyKey(db, owner, { anyParameters: false }) // retryable, as the answer says
          : endpointNeverRan(req, status, body)
            ? releaseIdempotencyKey(db, owner, { anyParameters: true })
            : completeIdempotencyKey(db, owner, { status, body: text });
      await store.catch((error: unknown) =>
        // The answer still goes out; the key stays in flight until its lock goes stale.
        logger?.error({ err: error, idempotencyKey: key }, 'storing the idempotent response failed'),
      );
      sendJsonText(res, status, text);
    };

    let settled = false;
    // Every answer leaves through res.json (routes and the error renderer alike).
    res.json = (body: unknown) => {
      settled = true;
      if (held.storedAnswer !== undefined) {
        sendJsonText(res, 200, held.storedAnswer);
        return res;
      }
      const status = res.statusCode;
      const text = JSON.stringify(body) ?? '';
      // Another request's key: its replay went out already, or this is the refusal to send.
      if (held.answeredElsewhere) {
        if (!res.headersSent) sendJsonText(res, status, text);
        return res;
      }
      void storeAndSend(status, text, body);
      return res;
    };
    // Anything answered some other way is not replayable: give the key back for a retry.
    res.on('finish', () => {
      if (!settled && !held.deferred && !held.answeredElsewhere)
        void releaseIdempotencyKey(db, owner, { anyParameters: false }).catch(() => undefined);
    });
    runInUpdateIdScope(held.updateIds, next);
  };
}
