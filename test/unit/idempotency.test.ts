import type { Request, Response } from 'express';
import { hashParameters } from '../../api/stripe/idempotency-fingerprint';
import { idForRequest } from '../../api/stripe/idempotent-ids';

function ctx(accountId: string, held?: { key: string; generation: number }) {
  return { account: { id: accountId }, res: { locals: { idempotency: held } } as unknown as Response };
}

describe('idForRequest', () => {
  it('derives the same Stripe-shaped id from the same account, key and generation', () => {
    const first = idForRequest('in', ctx('acct_1', { key: 'k1', generation: 0 }));
    expect(first).toMatch(/^in_[0-9A-Za-z]{24}$/);
    expect(idForRequest('in', ctx('acct_1', { key: 'k1', generation: 0 }))).toBe(first);
  });

  it('differs by account, key, generation and prefix', () => {
    const base = idForRequest('in', ctx('acct_1', { key: 'k1', generation: 0 }));
    expect(idForRequest('in', ctx('acct_2', { key: 'k1', generation: 0 }))).not.toBe(base);
    expect(idForRequest('in', ctx('acct_1', { key: 'k2', generation: 0 }))).not.toBe(base);
    expect(idForRequest('in', ctx('acct_1', { key: 'k1', generation: 1 }))).not.toBe(base);
    expect(idForRequest('cus', ctx('acct_1', { key: 'k1', generation: 0 })).slice(4)).not.toBe(base.slice(3));
  });

  it('is random without a key', () => {
    const a = idForRequest('cus', ctx('acct_1'));
    expect(a).toMatch(/^cus_[0-9A-Za-z]{24}$/);
    expect(idForRequest('cus', ctx('acct_1'))).not.toBe(a);
  });
});

describe('hashParameters', () => {
  const req = (body: unknown, query: unknown = {}) => ({ body, query }) as unknown as Request;

  it('ignores the order parameters were encoded in', () => {
    expect(hashParameters(req({ a: '1', metadata: { x: '1', y: '2' } }))).toBe(
      hashParameters(req({ metadata: { y: '2', x: '1' }, a: '1' })),
    );
  });

  it('tells different parameters apart, array order included', () => {
    expect(hashParameters(req({ a: '1' }))).not.toBe(hashParameters(req({ a: '2' })));
    expect(hashParameters(req({ e: ['a', 'b'] }))).not.toBe(hashParameters(req({ e: ['b', 'a'] })));
    expect(hashParameters(req({}, { a: '1' }))).not.toBe(hashParameters(req({})));
  });
});
