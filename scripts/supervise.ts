// Keeps one child of `npm start` running: when it dies without being asked to (a crash, a
// SIGKILL, the OOM killer), it is started again on the same state, after a back-off that grows
// with each restart (0.5 s, 1 s, 2 s... up to 10 s), with a log line each time. More than
// `maxRestarts` restarts within `windowMs` means something is wrong that restarting will not
// fix: the supervisor gives up and `onGiveUp` stops everything with a clear message.
export interface SupervisedChild {
  pid: number | undefined;
  exited: Promise<void>;
  stop(): Promise<void>;
}

export interface SuperviseOptions<T extends SupervisedChild> {
  name: string;
  first: T;
  // Starts it again (throws if it could not): the same folder, ports and arguments.
  restart(): Promise<T>;
  log(line: string): void;
  onRestarted?(child: T): void;
  onGiveUp(message: string): void;
  maxRestarts?: number; // default 5
  windowMs?: number; // default 60 s
  initialDelayMs?: number; // default SUPERVISOR_RESTART_DELAY_MS, else 500 ms
  maxDelayMs?: number; // default 10 s
}

export interface Supervision<T> {
  current(): T;
  restarts(): number;
  // Stops the child for good (no restart).
  stop(): Promise<void>;
}

export function supervise<T extends SupervisedChild>(options: SuperviseOptions<T>): Supervision<T> {
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const initialDelayMs = options.initialDelayMs ?? (Number(process.env.SUPERVISOR_RESTART_DELAY_MS) || 500);
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  let child = options.first;
  let stopping = false;
  let total = 0;
  const recent: number[] = [];

  const watch = (watched: T) => {
    void watched.exited.then(() => {
      if (!stopping && watched === child) void restartLoop();
    });
  };

  async function restartLoop(): Promise<void> {
    for (;;) {
      if (stopping) return;
      const now = Date.now();
      while (recent.length && now - recent[0] > windowMs) recent.shift();
      if (recent.length >= maxRestarts) {
        stopping = true;
        options.onGiveUp(
          `[start] ${options.name} died ${recent.length + 1} times within ${windowMs / 1000} s; not restarting it again. Stopping everything: see its log, fix the cause, then npm start again.`,
        );
        return;
      }
      const delay = Math.min(initialDelayMs * 2 ** recent.length, maxDelayMs);
      recent.push(now);
      total++;
      options.log(
        `[start] ${options.name} (pid ${child.pid ?? '?'}) died; restarting it in ${delay} ms (restart ${recent.length} of at most ${maxRestarts} within ${windowMs / 1000} s)`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping) return;
      try {
        const next = await options.restart();
        if (stopping) {
          await next.stop();
          return;
        }
        child = next;
        options.log(`[start] ${options.name} is back (pid ${next.pid ?? '?'})`);
        options.onRestarted?.(next);
        watch(next);
        return;
      } catch (error) {
        options.log(
          `[start] ${options.name} did not start again: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  watch(child);
  return {
    current: () => child,
    restarts: () => total,
    async stop() {
      stopping = true;
      await child.stop();
    },
  };
}
