import { supervise, type SupervisedChild } from '../../scripts/supervise';

interface FakeChild extends SupervisedChild {
  die(): void;
}

let pids = 100;
function fakeChild(): FakeChild {
  let die: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (die = resolve));
  return { pid: ++pids, exited, die, stop: async () => die() };
}

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('supervise', () => {
  it('starts a child that dies again, with a log line each time and a growing back-off', async () => {
    const lines: string[] = [];
    const started: FakeChild[] = [];
    const first = fakeChild();
    const supervision = supervise({
      name: 'thing',
      first,
      restart: async () => {
        const next = fakeChild();
        started.push(next);
        return next;
      },
      log: (line) => lines.push(line),
      onGiveUp: () => undefined,
      initialDelayMs: 1,
    });
    first.die();
    await tick(20);
    expect(started).toHaveLength(1);
    expect(supervision.current()).toBe(started[0]);
    started[0].die();
    await tick(20);
    expect(started).toHaveLength(2);
    expect(lines.filter((line) => line.includes('died; restarting it in'))).toEqual([
      '[start] thing (pid 101) died; restarting it in 1 ms (restart 1 of at most 5 within 60 s)',
      '[start] thing (pid 102) died; restarting it in 2 ms (restart 2 of at most 5 within 60 s)',
    ]);
    expect(lines).toContain('[start] thing is back (pid 103)');
    await supervision.stop();
    await tick(20);
    expect(started).toHaveLength(2); // stopped on purpose: not restarted
  });

  it('keeps trying when a restart fails', async () => {
    const lines: string[] = [];
    let attempts = 0;
    const first = fakeChild();
    const supervision = supervise({
      name: 'thing',
      first,
      restart: async () => {
        if (++attempts < 3) throw new Error('port in use');
        return fakeChild();
      },
      log: (line) => lines.push(line),
      onGiveUp: () => undefined,
      initialDelayMs: 1,
    });
    first.die();
    await tick(50);
    expect(attempts).toBe(3);
    expect(lines.filter((line) => line.includes('did not start again: port in use'))).toHaveLength(2);
    await supervision.stop();
  });

  it('gives up after too many deaths within the window, with a clear message', async () => {
    const messages: string[] = [];
    let current = fakeChild();
    supervise({
      name: 'Temporal dev server',
      first: current,
      restart: async () => (current = fakeChild()),
      log: () => undefined,
      onGiveUp: (message) => messages.push(message),
      initialDelayMs: 1,
      maxDelayMs: 2,
      maxRestarts: 3,
    });
    for (let i = 0; i < 4; i++) {
      current.die();
      await tick(20);
    }
    expect(messages).toEqual([
      '[start] Temporal dev server died 4 times within 60 s; not restarting it again. Stopping everything: see its log, fix the cause, then npm start again.',
    ]);
  });
});
