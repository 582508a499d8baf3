// Stripe's basic rate limiter: requests per second per account, answered with 429
// rate_limit_error beyond it. A token bucket per account, kept in this process's memory: with N
// API processes behind a load balancer an account gets up to N times the limit. It runs after
// authentication (the bucket is the caller's account) and before idempotency, as at Stripe,
// where a rate-limited request never touches its idempotency key.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../workflows/domain/errors';
import { accountOf } from './auth';

export interface RateLimitConfig {
  perSecond: number; // tokens added per second; 0 switches the limiter off
  burst: number; // bucket size: requests allowed at once after a quiet spell
}

// Stripe's live-mode global limit; its sandbox allows 25.
export const DEFAULT_PER_SECOND = 100;
const MAX_TRACKED_ACCOUNTS = 10_000;

function nonNegative(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got "${text}"`);
  return value;
}

export function rateLimitConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  const perSecond = nonNegative(
    'RATE_LIMIT_PER_SECOND',
    env.RATE_LIMIT_PER_SECOND ?? String(DEFAULT_PER_SECOND),
  );
  const burst = env.RATE_LIMIT_BURST ? nonNegative('RATE_LIMIT_BURST', env.RATE_LIMIT_BURST) : perSecond;
  return { perSecond, burst: Math.max(1, burst) };
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export function rateLimit(config: RateLimitConfig | undefined, now: () => number = () => performance.now()) {
  if (!config || config.perSecond <= 0) return (_req: Request, _res: Response, next: NextFunction) => next();
  const { perSecond, burst } = config;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.updatedMs) / 1000) * perSecond);
    bucket.updatedMs = at;
  };

  // Buckets that refilled completely hold no information: drop them to bound memory.
  const forgetFullBuckets = (at: number) => {
    for (const [account, bucket] of buckets) {
      refill(bucket, at);
      if (bucket.tokens >= burst) buckets.delete(account);
    }
  };

  return (_req: Request, res: Response, next: NextFunction): void => {
    const at = now();
    const account = accountOf(res).id;
    let bucket = buckets.get(account);
    if (!bucket) {
      if (buckets.size >= MAX_TRACKED_ACCOUNTS) forgetFullBuckets(at);
      bucket = { tokens: burst, updatedMs: at };
      buckets.set(account, bucket);
    }
    refill(bucket, at);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond))));
    throw new DomainError({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit',
      message:
        'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
    });
  };
}
