// Every failure leaves the API as a Stripe error object, rendered here and nowhere else.
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import {
  isGrpcServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { Response } from 'express';
import { DomainError, type DomainErrorData, type StripeErrorBody } from '../../workflows/domain/errors';
import { isDomainErrorData } from '../../workflows/domain-failure';

export function apiError(status: number, message: string, code?: string): DomainError {
  return new DomainError({ status, type: 'api_error', message, code });
}

function isDatabaseUnavailable(error: unknown): boolean {
  const { code, syscall } = (error ?? {}) as { code?: string; syscall?: string };
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ECONNREFUSED' ||
    (code === 'ENOENT' && syscall === 'connect') || // its Unix socket is gone while it is down
    code === 'EPIPE' || // a pooled connection Postgres closed, written to (Unix socket)
    code === 'ECONNRESET' ||
    code === '57P01' || // admin shutdown
    code === '57P03' || // cannot connect now
    message.includes('Timeout acquiring a connection') ||
    message.includes('Connection terminated')
  );
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

// The Temporal frontend cannot be reached (down, restarting, or not answering in time). The
// request may have reached it before the line dropped, so a write may still complete: the
// answer is a 503 to retry with the same Idempotency-Key, never a 500.
function isTemporalUnavailable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (
      isGrpcServiceError(current) &&
      (current.code === GRPC_UNAVAILABLE || current.code === GRPC_DEADLINE_EXCEEDED)
    ) {
      return true;
    }
  }
  return false;
}

// Turns anything thrown while serving a request into the Stripe error data it stands for.
export function toErrorData(error: unknown): DomainErrorData {
  if (error instanceof DomainError) return error.data;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const details = error.cause.details?.[0];
    if (isDomainErrorData(details)) return details;
  }
  if (error instanceof ApplicationFailure && isDomainErrorData(error.details?.[0])) {
    return error.details[0] as DomainErrorData;
  }
  if (error instanceof WorkflowNotFoundError) {
    return {
      status: 404,
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: 'No such object',
    };
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return {
      status: 503,
      type: 'api_error',
      message: 'The request timed out; it may still complete. Retry with the same Idempotency-Key.',
    };
  }
  // Express's own 4xx errors, e.g. a path segment that is not valid percent-encoding (`%FF`):
  // the caller's mistake, not ours.
  const status = (error as { status?: unknown })?.status;
  if (error instanceof Error && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, type: 'invalid_request_error', message: error.message };
  }
  // Text Postgres cannot hold (NUL, e.g. `/v1/customers/cus_%00`): no object can have it.
  const code = (error as { code?: unknown })?.code;
  if (code === '22021' || code === '22P05') {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'Invalid request: text contains a NUL character.',
    };
  }
  if (isTemporalUnavailable(error)) {
    return {
      status: 503,
      type: 'api_error',
      message:
        'The service is temporarily unavailable; the request may still complete. Retry with the same Idempotency-Key.',
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      type: 'api_error',
      message: 'The service is temporarily unavailable. Please retry.',
    };
  }
  return { status: 500, type: 'api_error', message: 'An unexpected error occurred.' };
}

// Stripe's clients retry what carries this header (and 409s); contention on one object and a
// dependency that is away are both answers to send again, under the same Idempotency-Key.
export function shouldRetry(data: DomainErrorData): boolean {
  return data.status === 503 || (data.status === 429 && data.code === 'lock_timeout');
}

export function sendError(res: Response, data: DomainErrorData): void {
  const { status, ...body } = data;
  if (shouldRetry(data)) res.setHeader('Stripe-Should-Retry', 'true');
  const error = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
  res.status(status).json({ error: error as unknown as StripeErrorBody });
}
