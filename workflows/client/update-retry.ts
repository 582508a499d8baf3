// Every way Temporal can refuse or drop a Workflow Update before the workflow ran it, and the one
// answer the API gives for each: send it again under the same update id (a copy the server did
// admit is answered, never run twice), backing off within a bounded wait; past that wait,
// Stripe's own answer for contention on one object (429 lock_timeout, which the official clients
// retry by themselves). Anything else is not ours to repeat and goes up as it came.
//
// Why updates are refused under contention (Temporal server 1.29, TypeScript SDK 1.24; the README's
// "Writes that meet on one invoice" has the figures):
// - an update is sent to the worker inside a workflow task; when a task completes without
//   answering an update it carried, the server rejects that update as "UnprocessedUpdate"
//   (`RejectUnprocessed`). That happens when the task the worker answered is not the one that
//   carried the update: a speculative task replaced by a normal one, or a task that timed out on
//   a busy worker while the update rode along in its retry ("Task not found when completing");
// - at most `history.maxInFlightUpdates` (10) updates are admitted per workflow at once
//   (RESOURCE_EXHAUSTED), and `history.maxTotalUpdates` per run (FAILED_PRECONDITION);
// - while a workflow task is failing, updates are refused (FAILED_PRECONDITION "Workflow Task in
//   failed state", or "unexpected workflow task failure");
// - a run that closes (continue-as-new) aborts the updates it had not accepted (NOT_FOUND
//   "aborted by closing workflow"; the next run takes the same update), and the server can abort
//   one for its own reasons (UNAVAILABLE "workflow update was aborted").
import { isGrpcServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/errors';

const NOT_FOUND = 5;
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;
const UNAVAILABLE = 14;
const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 1_000;
export const DEFAULT_UPDATE_BUDGET_MS = 20_000;

// What refused an update that never ran: a label for logs and metrics, or null when the error is
// anything else (a domain refusal, a missing workflow, a timeout whose update may still run).
export type UpdateRefusal =
  'unprocessed' | 'in-flight-limit' | 'total-limit' | 'task-failing' | 'run-closing' | 'server-aborted';

const GRPC_REFUSALS: Array<{ code: number; text: RegExp; refusal: UpdateRefusal }> = [
  { code: FAILED_PRECONDITION, text: /workflow task in failed state/i, refusal: 'task-failing' },
  { code: FAILED_PRECONDITION, text: /unexpected workflow task failure/i, refusal: 'task-failing' },
  { code: FAILED_PRECONDITION, text: /total updates has been reached/i, refusal: 'total-limit' },
  { code: RESOURCE_EXHAUSTED, text: /in-flight updates has been reached/i, refusal: 'in-flight-limit' },
  { code: NOT_FOUND, text: /update was aborted by closing workflow/i, refusal: 'run-closing' },
  { code: UNAVAILABLE, text: /workflow update was aborted/i, refusal: 'server-aborted' },
];

function grpcRefusal(error: Error): UpdateRefusal | null {
  if (!isGrpcServiceError(error)) return null;
  const text = error.details ?? error.message;
  return (
    GRPC_REFUSALS.find(({ code, text: pattern }) => error.code === code && pattern.test(text))?.refusal ??
    null
  );
}

export function updateRefusalOf(error: unknown): UpdateRefusal | null {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    return cause instanceof ApplicationFailure && cause.type === 'UnprocessedUpdate' ? 'unprocessed' : null;
  }
  for (let current = error; current instanceof Error; current = current.cause) {
    const refusal = grpcRefusal(current);
    if (refusal) return refusal;
    // The client turns NOT_FOUND into WorkflowNotFoundError, keeping the server's text.
    if (current.name === 'WorkflowNotFoundError' && /aborted by closing workflow/i.test(current.message)) {
      return 'run-closing';
    }
  }
  return null;
}

export function lockTimeout(): DomainError {
  return new DomainError({
    status: 429,
    type: 'invalid_request_error',
    code: 'lock_timeout',
    message:
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
  });
}

// This process's count of refusals by kind and outcome ("unprocessed sent-again": 12), for
// operators and for the tests and benchmark that measure contention.
const tally = new Map<string, number>();

export function updateRefusalCounts(): Record<string, number> {
  return Object.fromEntries(tally);
}

function count(refusal: UpdateRefusal, outcome: 'sent-again' | 'gave-up'): void {
  const key = `${refusal} ${outcome}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

export interface UpdateRetryOptions {
  budgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  // The update's id (workflows/client/update-ids.ts); a random one when absent.
  updateId?: string;
  // Told of every refusal that is sent again, and of the one that ran out of time.
  onRefusal?: (refusal: UpdateRefusal, outcome: 'sent-again' | 'gave-up') => void;
}

export async function sendUpdateUntilTaken<T>(
  send: (updateId: string) => Promise<T>,
  options: UpdateRetryOptions = {},
): Promise<T> {
  const budgetMs = options.budgetMs ?? DEFAULT_UPDATE_BUDGET_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const updateId = options.updateId ?? randomUUID();
  // The wait counts every send too: the client itself backs off on RESOURCE_EXHAUSTED.
  const started = now();
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await send(updateId);
    } catch (error) {
      const refusal = updateRefusalOf(error);
      if (!refusal) throw error;
      // Jitter keeps a burst of refused writes from coming back in step.
      const pause = Math.round(delay * (0.5 + Math.random()));
      if (now() - started + pause > budgetMs) {
        count(refusal, 'gave-up');
        options.onRefusal?.(refusal, 'gave-up');
        throw lockTimeout();
      }
      count(refusal, 'sent-again');
      options.onRefusal?.(refusal, 'sent-again');
      await sleep(pause);
    }
  }
}
