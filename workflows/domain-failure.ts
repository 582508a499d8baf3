// How a domain rejection crosses Temporal: as a non-retryable ApplicationFailure whose first
// detail is the Stripe error data, so the API can render it unchanged.
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, type DomainErrorData } from './domain/errors';

export function isDomainErrorData(value: unknown): value is DomainErrorData {
  const candidate = value as DomainErrorData | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.status === 'number' &&
    typeof candidate.type === 'string' &&
    typeof candidate.message === 'string'
  );
}

export function toApplicationFailure(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  return ApplicationFailure.create({
    type: error.data.code ?? error.data.type,
    message: error.message,
    nonRetryable: true,
    details: [error.data],
  });
}

// Runs domain code, re-throwing its rejections in the form Temporal carries to the caller.
export function rethrowingDomainErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toApplicationFailure(error);
  }
}
