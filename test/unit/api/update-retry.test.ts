// The API sends an update again while the workflow's task is being retried, and only then.
import { ServiceError } from '@temporalio/client';
import { isWorkflowTaskInFailedState, sendUpdateUntilTaken } from '../../../api/update-retry';

// What the client throws: a ServiceError whose cause is the gRPC error.
function grpcRefusal(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Workflow Update failed', { cause });
}

const failedTask = () =>
  grpcRefusal(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.');

describe('isWorkflowTaskInFailedState', () => {
  it('recognises the refusal given while a workflow task is retried', () => {
    expect(isWorkflowTaskInFailedState(failedTask())).toBe(true);
  });
  it.each([
    ['another FAILED_PRECONDITION', grpcRefusal(9, 'something else')],
    ['the same text with another code', grpcRefusal(5, 'Workflow Task in failed state')],
    ['a plain error', new Error('Workflow Task in failed state')],
    ['not an error', 'Workflow Task in failed state'],
  ])('ignores %s', (_name, error) => {
    expect(isWorkflowTaskInFailedState(error)).toBe(false);
  });
});

describe('sendUpdateUntilTaken', () => {
  const noWait = async () => undefined;

  it('sends again, under the same update id, until the workflow takes it', async () => {
    const ids: string[] = [];
    const answer = await sendUpdateUntilTaken(
      async (updateId) => {
        ids.push(updateId);
        if (ids.length < 3) throw failedTask();
        return 'taken';
      },
      20_000,
      noWait,
    );
    expect(answer).toBe('taken');
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('does not repeat any other failure', async () => {
    let calls = 0;
    const refusal = grpcRefusal(9, 'something else');
    await expect(
      sendUpdateUntilTaken(
        async () => {
          calls++;
          throw refusal;
        },
        20_000,
        noWait,
      ),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it('gives up once its budget is spent, with the refusal', async () => {
    const waits: number[] = [];
    await expect(
      sendUpdateUntilTaken(
        async () => {
          throw failedTask();
        },
        3_000,
        async (ms) => {
          waits.push(ms);
        },
      ),
    ).rejects.toThrow('Workflow Update failed');
    expect(waits).toEqual([100, 200, 400, 800]); // the next, 1,600 ms, would pass 3,000
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3_000);
  });
});
