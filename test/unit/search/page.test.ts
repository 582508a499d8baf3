import { decodePageToken, encodePageToken, queryFingerprint } from '../../../api/search/page';
import { DomainError } from '../../../workflows/domain/errors';

function refusal(fn: () => unknown): DomainError['data'] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.data;
    throw error;
  }
  throw new Error('expected a refusal');
}

const fingerprint = queryFingerprint('invoices', 'status:"open"');
const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('page tokens', () => {
  it('round-trip a position as base64url', () => {
    const encoded = encodePageToken({ created: 1_700_000_000, seq: 42 }, fingerprint);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(encoded, fingerprint)).toEqual({ created: 1_700_000_000, seq: 42 });
  });

  it('depend on the resource and the query', () => {
    expect(queryFingerprint('customers', 'status:"open"')).not.toBe(fingerprint);
    expect(queryFingerprint('invoices', 'status:"paid"')).not.toBe(fingerprint);
  });

  it('refuse a token of another query, naming page', () => {
    const other = encodePageToken({ created: 1, seq: 1 }, queryFingerprint('invoices', 'total>1'));
    expect(refusal(() => decodePageToken(other, fingerprint))).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      param: 'page',
      message: expect.stringMatching(/different query/),
    });
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['empty JSON', token({})],
    ['not JSON', Buffer.from('{c:1').toString('base64url')],
    ['null', token(null)],
    ['an array', token([1, 2, 'x'])],
    ['a string created', token({ c: '1', s: 1, q: fingerprint })],
    ['seq 0', token({ c: 1, s: 0, q: fingerprint })],
    ['a fraction', token({ c: 1.5, s: 1, q: fingerprint })],
    ['an unsafe integer', token({ c: 1, s: 2 ** 60, q: fingerprint })],
    ['an extra field', token({ c: 1, s: 1, q: fingerprint, x: 1 })],
    ['too long', 'A'.repeat(201)],
  ])('refuse %s', (_name, value) => {
    expect(refusal(() => decodePageToken(value, fingerprint))).toMatchObject({ status: 400, param: 'page' });
  });
});
