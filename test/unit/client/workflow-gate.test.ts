// Writes to one workflow leave one at a time, in arrival order; a write that waits past its
// budget is answered 429 lock_timeout without running; other workflows never wait.
import { WorkflowGate } from '../../../workflows/client/workflow-gate';
import { DomainError } from '../../../workflows/domain/errors';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('WorkflowGate', () => {
  afterEach(() => jest.useRealTimers());

  it('runs the writes to one workflow one at a time, in arrival order', async () => {
    const gate = new WorkflowGate();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const blockers = [deferred(), deferred(), deferred()];
    const runs = blockers.map((blocker, index) =>
      gate.run('invoice/in_1', 1_000, async () => {
        running++;
        most = Math.max(most, running);
        order.push(`start ${index}`);
        await blocker.promise;
        order.push(`end ${index}`);
        running--;
        return index;
      }),
    );
    blockers[2].resolve();
    blockers[1].resolve();
    blockers[0].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(most).toBe(1);
    expect(gate.size).toBe(0); // nothing kept once the line is empty
  });

  it('lets writes to other workflows through at once', async () => {
    const gate = new WorkflowGate();
    const held = deferred();
    const first = gate.run('invoice/in_1', 1_000, () => held.promise);
    await expect(gate.run('invoice/in_2', 1_000, async () => 'other')).resolves.toBe('other');
    held.resolve();
    await first;
  });

  it('answers 429 lock_timeout to a write still waiting when its budget is spent, and runs it never', async () => {
    jest.useFakeTimers();
    const gate = new WorkflowGate();
    const held = deferred();
    const first = gate.run('invoice/in_1', 1_000, () => held.promise);
    const waiting = jest.fn(async () => 'ran');
    const late = gate.run('invoice/in_1', 500, waiting).catch((error: unknown) => error);
    const after = jest.fn(async () => 'ran');
    const third = gate.run('invoice/in_1', 5_000, after);
    jest.advanceTimersByTime(501);
    const refusal = await late;
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).data).toMatchObject({ status: 429, code: 'lock_timeout' });
    held.resolve();
    await first;
    await expect(third).resolves.toBe('ran'); // the line moved on past the one that left
    expect(waiting).not.toHaveBeenCalled();
    expect(gate.size).toBe(0);
  });

  it('lets the next write in when one fails', async () => {
    const gate = new WorkflowGate();
    const failed = gate.run('invoice/in_1', 1_000, async () => {
      throw new Error('refused');
    });
    const next = gate.run('invoice/in_1', 1_000, async () => 'next');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
  });
});
