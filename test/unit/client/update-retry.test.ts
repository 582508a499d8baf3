// The API sends an update again when Temporal refused or dropped it before the workflow ran it,
// only then, and answers Stripe's 429 lock_timeout once its wait is spent.
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { DomainError } from '../../../workflows/domain/errors';
import {
  sendUpdateUntilTaken,
  updateRefusalOf,
  type UpdateRefusal,
} from '../../../workflows/client/update-retry';

// What the client throws: a ServiceError whose cause is the gRPC error.
function grpcRefusal(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Workflow Update failed', { cause });
}

const unprocessed = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      message: "Workflow Update is rejected because it wasn't processed by worker.",
      type: 'UnprocessedUpdate',
      nonRetryable: true,
    }),
  );
const failedTask = () =>
  grpcRefusal(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.');

describe('updateRefusalOf', () => {
  it.each<[UpdateRefusal, unknown]>([
    ['unprocessed', unprocessed()],
    ['task-failing', failedTask()],
    [
      'task-failing',
      grpcRefusal(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.'),
    ],
    [
      'in-flight-limit',
      grpcRefusal(8, 'limit on number of concurrent in-flight updates has been reached (10)'),
    ],
    ['total-limit', grpcRefusal(9, 'limit on number of total updates has been reached (2000)')],
    ['run-closing', grpcRefusal(5, 'workflow update was aborted by closing workflow')],
    [
      'run-closing',
      new WorkflowNotFoundError('workflow update was aborted by closing workflow', 'invoice/in_1', undefined),
    ],
    ['server-aborted', grpcRefusal(14, 'workflow update was aborted')],
  ])('recognises %s', (refusal, error) => {
    expect(updateRefusalOf(error)).toBe(refusal);
  });

  it.each([
    ['another FAILED_PRECONDITION', grpcRefusal(9, 'something else')],
    ['the same text with another code', grpcRefusal(5, 'Workflow Task in failed state')],
    ['a missing workflow', new WorkflowNotFoundError('workflow not found', 'invoice/in_1', undefined)],
    [
      "the workflow's own refusal",
      new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.create({ message: 'no', type: 'DomainError', nonRetryable: true }),
      ),
    ],
    ['a plain error', new Error('Workflow Task in failed state')],
    ['not an error', 'Workflow Task in failed state'],
  ])('ignores %s', (_name, error) => {
    expect(updateRefusalOf(error)).toBeNull();
  });
});

describe('sendUpdateUntilTaken', () => {
  // A clock the sleeps move, so the budget is counted without waiting.
  function fakeTime() {
    let at = 0;
    const waits: number[] = [];
    return {
      waits,
      now: () => at,
      sleep: async (ms: number) => {
        waits.push(ms);
        at += ms;
      },
    };
  }

  it('sends again, under the same update id, until the workflow takes it', async () => {
    const ids: string[] = [];
    const refusals = [
      unprocessed(),
      failedTask(),
      grpcRefusal(5, 'workflow update was aborted by closing workflow'),
    ];
    const seen: string[] = [];
    const answer = await sendUpdateUntilTaken(
      async (updateId) => {
        ids.push(updateId);
        const refusal = refusals.shift();
        if (refusal) throw refusal;
        return 'taken';
      },
      { ...fakeTime(), onRefusal: (refusal, outcome) => seen.push(`${refusal}:${outcome}`) },
    );
    expect(answer).toBe('taken');
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(1);
    expect(seen).toEqual(['unprocessed:sent-again', 'task-failing:sent-again', 'run-closing:sent-again']);
  });

  it('does not repeat any other failure', async () => {
    let calls = 0;
    const refusal = grpcRefusal(9, 'something else');
    await expect(
      sendUpdateUntilTaken(async () => {
        calls++;
        throw refusal;
      }, fakeTime()),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it("answers Stripe's 429 lock_timeout once its budget is spent, backing off with jitter", async () => {
    const time = fakeTime();
    const seen: string[] = [];
    const error = await sendUpdateUntilTaken(
      async () => {
        throw unprocessed();
      },
      { ...time, budgetMs: 3_000, onRefusal: (_refusal, outcome) => seen.push(outcome) },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).data).toMatchObject({
      status: 429,
      type: 'invalid_request_error',
      code: 'lock_timeout',
    });
    const total = time.waits.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(3_000);
    // Each pause is its step (50 ms doubling up to 1 s) times a factor within [0.5, 1.5].
    time.waits.forEach((ms, index) => {
      const step = Math.min(50 * 2 ** index, 1_000);
      expect(ms).toBeGreaterThanOrEqual(Math.round(step * 0.5));
      expect(ms).toBeLessThanOrEqual(Math.round(step * 1.5));
    });
    expect(seen.at(-1)).toBe('gave-up');
    expect(seen.filter((outcome) => outcome === 'sent-again')).toHaveLength(time.waits.length);
  });

  it('counts the time its sends took against the budget', async () => {
    let at = 0;
    let calls = 0;
    await expect(
      sendUpdateUntilTaken(
        async () => {
          calls++;
          at += 2_990; // the client's own backoff on RESOURCE_EXHAUSTED, say
          throw grpcRefusal(8, 'limit on number of concurrent in-flight updates has been reached (10)');
        },
        { budgetMs: 3_000, now: () => at, sleep: async (ms) => void (at += ms) },
      ),
    ).rejects.toMatchObject({ data: { code: 'lock_timeout' } });
    expect(calls).toBe(1);
  });
});
