import type { Request } from 'express';
import { isCrossSitePost } from '../../../api/hosted/same-origin';

function request(headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  return {
    protocol: 'http',
    get: (name: string) => (name.toLowerCase() === 'host' ? 'pay.example:4242' : lower[name.toLowerCase()]),
  } as unknown as Request;
}

describe('isCrossSitePost', () => {
  it('trusts Sec-Fetch-Site when the browser sends it', () => {
    expect(isCrossSitePost(request({ 'sec-fetch-site': 'same-origin', origin: 'null' }), null)).toBe(false);
    expect(isCrossSitePost(request({ 'sec-fetch-site': 'cross-site' }), null)).toBe(true);
    expect(isCrossSitePost(request({ 'sec-fetch-site': 'same-site' }), null)).toBe(true);
  });

  it('otherwise compares Origin with this origin and the public URL', () => {
    expect(isCrossSitePost(request({ origin: 'http://pay.example:4242' }), null)).toBe(false);
    expect(
      isCrossSitePost(request({ origin: 'https://billing.example' }), 'https://billing.example/base'),
    ).toBe(false);
    expect(isCrossSitePost(request({ origin: 'https://evil.example' }), 'https://billing.example')).toBe(
      true,
    );
    expect(isCrossSitePost(request({ origin: 'null' }), null)).toBe(true);
  });

  it('leaves requests from outside a browser to the token', () => {
    expect(isCrossSitePost(request({}), null)).toBe(false);
  });
});
