import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../workflows/domain/errors';
import { rateLimit, rateLimitConfigFromEnv } from '../../api/stripe/rate-limit';

// Drives the middleware with a fake clock; answers 'ok' or the thrown error's status.
function limiter(config: Parameters<typeof rateLimit>[0]) {
  let nowMs = 0;
  const middleware = rateLimit(config, () => nowMs);
  const call = (accountId = 'acct_1') => {
    const res = { locals: { account: { id: accountId } }, setHeader: jest.fn() } as unknown as Response;
    let passed = false;
    try {
      middleware({} as Request, res, (() => (passed = true)) as NextFunction);
    } catch (error) {
      if (error instanceof DomainError) return error.data;
      throw error;
    }
    return passed ? 'ok' : 'stalled';
  };
  return { call, advance: (ms: number) => (nowMs += ms) };
}

describe('rateLimit', () => {
  it('lets a burst through, then answers 429 rate_limit_error with code rate_limit', () => {
    const { call } = limiter({ perSecond: 2, burst: 2 });
    expect(call()).toBe('ok');
    expect(call()).toBe('ok');
    expect(call()).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit' });
  });

  it('refills at the configured rate', () => {
    const { call, advance } = limiter({ perSecond: 2, burst: 2 });
    call();
    call();
    advance(400);
    expect(call()).not.toBe('ok');
    advance(100); // 500 ms at 2/s: one token
    expect(call()).toBe('ok');
    expect(call()).not.toBe('ok');
  });

  it('keeps one bucket per account', () => {
    const { call } = limiter({ perSecond: 1, burst: 1 });
    expect(call('acct_1')).toBe('ok');
    expect(call('acct_1')).not.toBe('ok');
    expect(call('acct_2')).toBe('ok');
  });

  it('is off without a config or at 0 per second', () => {
    for (const config of [undefined, { perSecond: 0, burst: 1 }]) {
      const { call } = limiter(config);
      for (let i = 0; i < 1000; i++) expect(call()).toBe('ok');
    }
  });
});

describe('rateLimitConfigFromEnv', () => {
  it("defaults to Stripe's live-mode 100 per second", () => {
    expect(rateLimitConfigFromEnv({})).toEqual({ perSecond: 100, burst: 100 });
  });

  it('reads RATE_LIMIT_PER_SECOND and RATE_LIMIT_BURST', () => {
    expect(rateLimitConfigFromEnv({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '20' })).toEqual({
      perSecond: 5,
      burst: 20,
    });
    expect(rateLimitConfigFromEnv({ RATE_LIMIT_PER_SECOND: '0' }).perSecond).toBe(0);
  });

  it('refuses nonsense', () => {
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_PER_SECOND: 'many' })).toThrow(/RATE_LIMIT_PER_SECOND/);
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_BURST: '-1' })).toThrow(/RATE_LIMIT_BURST/);
  });
});
