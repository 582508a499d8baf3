// Stripe's clients retry an answer that carries `Stripe-Should-Retry: true`: contention on one
// object (429 lock_timeout) and a dependency that is away (503) carry it, and nothing else does.
import type { Response } from 'express';
import { sendError } from '../../../api/stripe/errors';
import type { DomainErrorData } from '../../../workflows/domain/errors';

function sent(data: DomainErrorData) {
  const headers: Record<string, string> = {};
  let status = 0;
  let body: unknown;
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    status(code: number) {
      status = code;
      return this;
    },
    json: (value: unknown) => void (body = value),
  } as unknown as Response;
  sendError(res, data);
  return { headers, status, body };
}

describe('sendError and Stripe-Should-Retry', () => {
  it.each<[string, DomainErrorData]>([
    [
      '429 lock_timeout',
      { status: 429, type: 'invalid_request_error', code: 'lock_timeout', message: 'busy' },
    ],
    ['503', { status: 503, type: 'api_error', message: 'away' }],
  ])('marks %s retryable', (_name, data) => {
    const answer = sent(data);
    expect(answer.headers['stripe-should-retry']).toBe('true');
    expect(answer.status).toBe(data.status);
    expect(answer.body).toEqual({ error: { type: data.type, code: data.code, message: data.message } });
  });

  it.each<[string, DomainErrorData]>([
    ['429 rate_limit', { status: 429, type: 'rate_limit_error', code: 'rate_limit', message: 'slow down' }],
    ['400', { status: 400, type: 'invalid_request_error', message: 'bad', param: 'amount' }],
    ['500', { status: 500, type: 'api_error', message: 'bug' }],
  ])('leaves %s without the header', (_name, data) => {
    expect(sent(data).headers['stripe-should-retry']).toBeUndefined();
  });
});
