// While a workflow's task is being retried (it failed or timed out: a worker overloaded or
// restarting), Temporal refuses updates with FAILED_PRECONDITION "Workflow Task in failed
// state". Nothing was written; once the task completes the workflow takes updates again. The
// caller sends the same update again, under the same update id (a copy the server did admit is
// answered, not run twice), backing off for up to `budgetMs` before giving up.
import { isGrpcServiceError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';

const FAILED_PRECONDITION = 9; // gRPC status code
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;

export function isWorkflowTaskInFailedState(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (
      isGrpcServiceError(current) &&
      current.code === FAILED_PRECONDITION &&
      /workflow task in failed state/i.test(current.details ?? current.message)
    ) {
      return true;
    }
  }
  return false;
}

export async function sendUpdateUntilTaken<T>(
  send: (updateId: string) => Promise<T>,
  budgetMs = 20_000,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  const updateId = randomUUID();
  let waited = 0;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await send(updateId);
    } catch (error) {
      if (!isWorkflowTaskInFailedState(error) || waited + delay > budgetMs) throw error;
      await sleep(delay);
      waited += delay;
    }
  }
}
