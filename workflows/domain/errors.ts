// One error taxonomy for the whole product: a domain rejection carries exactly what Stripe's
// error object carries, so the API renders it without translating.

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'authentication_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  code?: string;
  message: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  payment_intent?: unknown;
  request_log_url?: string;
}

export interface DomainErrorData extends StripeErrorBody {
  status: number;
}

export class DomainError extends Error {
  readonly data: DomainErrorData;

  constructor(data: DomainErrorData) {
    super(data.message);
    this.name = 'DomainError';
    this.data = data;
  }
}

export function invalidRequest(message: string, code?: string, param?: string): DomainError {
  return new DomainError({ status: 400, type: 'invalid_request_error', message, code, param });
}

export function resourceMissing(resource: string, id: string, param = 'id'): DomainError {
  return new DomainError({
    status: 404,
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${resource}: '${id}'`,
    param,
  });
}

export function cardError(message: string, code: string, declineCode?: string): DomainError {
  return new DomainError({
    status: 402,
    type: 'card_error',
    code,
    message,
    decline_code: declineCode,
  });
}
