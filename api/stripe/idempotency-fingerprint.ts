// Which request an Idempotency-Key belongs to (endpoint and parameters), and Stripe's refusal of
// another request under the same key.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { IdempotencyKeyRow, KeyFingerprint } from '../../db/repositories/idempotency-keys';
import { DomainError } from '../../workflows/domain/errors';
import { accountOf } from './auth';

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

export function refusal(
  row: IdempotencyKeyRow,
  method: string,
  path: string,
  hash: string,
): DomainError | null {
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

export function fingerprintOf(req: Request, res: Response, key: string): KeyFingerprint {
  return {
    accountId: accountOf(res).id,
    key,
    method: req.method,
    path: req.originalUrl.split('?')[0],
    requestHash: hashParameters(req),
    requestId: res.locals.requestId as string,
  };
}
