// Stripe's idempotent requests: a POST or DELETE carrying `Idempotency-Key` runs once per
// (account, key) for 24 hours; later requests with that key get the first response again, byte
// for byte, with `Idempotent-Replayed: true`. Keys live in Postgres (db/repositories/
// idempotency-keys.ts), so they hold across API processes and restarts.
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import { writeAsOneStatement, type Database } from '../../db/connection';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  completeIdempotencyKeyQuery,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  type IdempotencyKeyRow,
  type KeyOwner,
} from '../../db/repositories/idempotency-keys';
import { newId } from '../../db/random-ids';
import { DomainError } from '../../workflows/domain/errors';
import { accountOf } from './auth';

const MAX_KEY_LENGTH = 255;
const PURGE_EVERY_MS = 60_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

interface HeldKey {
  key: string;
  generation: number;
  owner: KeyOwner;
  // The answer stored with the route's own write (writeWithAnswer): the one sent, as replays will.
  storedAnswer?: string;
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
  await writeAsOneStatement(db, [
    ...parts,
    completeIdempotencyKeyQuery(db, held.owner, { status: 200, body: text }),
  ]);
  held.storedAnswer = text;
}

// Object ids for creates: derived from (account, key, generation, prefix) when the request
// carries a key, so a retry whose first attempt got as far as starting a workflow or writing a
// row, but never stored its response, makes the same object instead of a second one.
export function idForRequest(prefix: string, ctx: { account: { id: string }; res: Response }): string {
  const held = ctx.res.locals.idempotency as HeldKey | undefined;
  if (!held) return newId(prefix);
  const digest = createHash('sha256')
    .update(JSON.stringify([ctx.account.id, held.key, held.generation, prefix]))
    .digest();
  let value = BigInt(`0x${digest.toString('hex')}`);
  let body = '';
  for (let i = 0; i < 24; i++) {
    body += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return `${prefix}_${body}`;
}

// Parameters compare by content, not by the order the client happened to encode them in.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function hashParameters(req: Request): string {
  const params = { query: canonical(req.query ?? {}), body: canonical(req.body ?? {}) };
  return createHash('sha256').update(JSON.stringify(params)).digest('hex');
}

function idempotencyError(status: number, message: string, code?: string): DomainError {
  return new DomainError({ status, type: 'idempotency_error', message, code });
}

function refusal(row: IdempotencyKeyRow, method: string, path: string, hash: string): DomainError | null {
  const key = row.idempotency_key;
  if (row.method !== method || row.path !== path) {
    return idempotencyError(
      400,
      `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${row.method} ${row.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
    );
  }
  if (row.request_hash !== null && row.request_hash !== hash) {
    return idempotencyError(
      400,
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    );
  }
  if (row.status === 'in_flight') {
    return idempotencyError(
      409,
      `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      'idempotency_key_in_use',
    );
  }
  return null;
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
    const accountId = accountOf(res).id;
    const requestId = res.locals.requestId as string;
    const method = req.method;
    const path = req.originalUrl.split('?')[0];
    const requestHash = hashParameters(req);
    const claim = await claimIdempotencyKey(db, { accountId, key, method, path, requestHash, requestId });
    purgeNow();
    res.setHeader('Idempotency-Key', key);

    if (!claim.claimed) {
      const refused = refusal(claim.row, method, path, requestHash);
      if (refused) throw refused;
      res.setHeader('Idempotent-Replayed', 'true');
      res.setHeader('Original-Request', claim.row.request_id);
      return sendJsonText(res, claim.row.response_status ?? 200, claim.row.response_body ?? 'null');
    }

    const owner = { accountId, key, requestId };
    const held: HeldKey = { key, generation: claim.generation, owner };
    res.locals.idempotency = held;
    let settled = false;
    // Every answer leaves through res.json (routes and the error renderer alike): store it,
    // then send exactly the text stored, so a replay is byte-identical.
    res.json = (body: unknown) => {
      settled = true;
      if (held.storedAnswer !== undefined) {
        sendJsonText(res, 200, held.storedAnswer);
        return res;
      }
      const status = res.statusCode;
      const text = JSON.stringify(body) ?? '';
      const store =
        status >= 500
          ? releaseIdempotencyKey(db, owner, { anyParameters: false }) // retryable, as the 5xx says
          : endpointNeverRan(req, status, body)
            ? releaseIdempotencyKey(db, owner, { anyParameters: true })
            : completeIdempotencyKey(db, owner, { status, body: text });
      void store
        .catch((error: unknown) =>
          // The answer still goes out; the key stays in flight until its lock goes stale.
          logger?.error({ err: error, idempotencyKey: key }, 'storing the idempotent response failed'),
        )
        .finally(() => sendJsonText(res, status, text));
      return res;
    };
    // Anything answered some other way is not replayable: give the key back for a retry.
    res.on('finish', () => {
      if (!settled) void releaseIdempotencyKey(db, owner, { anyParameters: false }).catch(() => undefined);
    });
    next();
  };
}
