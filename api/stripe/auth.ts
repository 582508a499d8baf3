// Stripe's authentication: `Authorization: Bearer sk_...`, or HTTP Basic with the key as the
// user name (curl -u sk_...:). Keys are looked up by their hash and cached briefly.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../workflows/domain/errors';
import { findAccountByApiKey, type AccountRow } from '../../db/repositories/accounts';
import type { Database } from '../../db/connection';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

function unauthorized(message: string): DomainError {
  return new DomainError({ status: 401, type: 'invalid_request_error', message });
}

export function extractApiKey(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0];
    return user || null;
  }
  return null;
}

export function redactKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(12)}${key.slice(-4)}` : '*'.repeat(key.length);
}

export function authenticate(db: Database) {
  const cache = new Map<string, { account: AccountRow; expires: number }>();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = extractApiKey(req.headers.authorization);
    if (!key) {
      throw unauthorized(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    const cached = cache.get(key);
    let account = cached && cached.expires > Date.now() ? cached.account : null;
    if (!account) {
      account = await findAccountByApiKey(db, key);
      if (!account) throw unauthorized(`Invalid API Key provided: ${redactKey(key)}`);
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(key, { account, expires: Date.now() + CACHE_TTL_MS });
    }
    res.locals.account = account;
    next();
  };
}

export function accountOf(res: Response): AccountRow {
  return res.locals.account as AccountRow;
}
