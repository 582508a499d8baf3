// A closed-loop load generator: `concurrency` virtual clients each run `task` back to back until
// the time is up. A task times each API call it makes under a name, so one run yields a
// latency histogram per call plus the number of completed tasks (e.g. whole lifecycles).
export class Histogram {
  private readonly samples: number[] = [];
  add(ms: number): void {
    this.samples.push(ms);
  }
  get count(): number {
    return this.samples.length;
  }
  // Nearest-rank percentile, in ms.
  percentile(p: number): number {
    if (this.samples.length === 0) return NaN;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
  }
}

export interface Timer {
  // Runs fn, recording its duration under `name` (errors are counted, not timed).
  time<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  tasks: number;
  errors: number;
  firstError: string | null;
  calls: Map<string, Histogram>;
}

export async function runClosedLoop(options: {
  concurrency: number;
  seconds: number;
  task: (timer: Timer, client: number, iteration: number) => Promise<void>;
}): Promise<LoadResult> {
  const calls = new Map<string, Histogram>();
  let errors = 0;
  let tasks = 0;
  let firstError: string | null = null;
  const timer: Timer = {
    async time(name, fn) {
      const started = performance.now();
      const result = await fn();
      const histogram = calls.get(name) ?? new Histogram();
      calls.set(name, histogram);
      histogram.add(performance.now() - started);
      return result;
    },
  };
  const started = performance.now();
  const endAt = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, client) => {
      for (let iteration = 0; performance.now() < endAt; iteration++) {
        try {
          await options.task(timer, client, iteration);
          tasks++;
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return {
    concurrency: options.concurrency,
    seconds: (performance.now() - started) / 1000,
    tasks,
    errors,
    firstError,
    calls,
  };
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Of several runs at one concurrency: the median rate and the median of each percentile.
export interface Summary {
  concurrency: number;
  runs: number;
  tasksPerSecond: number;
  errors: number;
  firstError: string | null;
  calls: Array<{ name: string; perSecond: number; p50: number; p95: number; p99: number }>;
  // CPU time each process of the stack spent per completed task during the timed runs (ms).
  cpuMsPerTask?: Record<string, number>;
}

// CPU seconds used so far by each part of the stack (see machine.ts stackCpu).
export type CpuSampler = () => Record<string, number>;

export function summarize(results: LoadResult[]): Summary {
  const names = [...new Set(results.flatMap((r) => [...r.calls.keys()]))];
  return {
    concurrency: results[0].concurrency,
    runs: results.length,
    tasksPerSecond: median(results.map((r) => r.tasks / r.seconds)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
    calls: names.map((name) => {
      const of = (f: (h: Histogram, r: LoadResult) => number) =>
        median(results.map((r) => (r.calls.get(name) ? f(r.calls.get(name)!, r) : NaN)));
      return {
        name,
        perSecond: of((h, r) => h.count / r.seconds),
        p50: of((h) => h.percentile(50)),
        p95: of((h) => h.percentile(95)),
        p99: of((h) => h.percentile(99)),
      };
    }),
  };
}

// Runs `runs` timed rounds at each concurrency, after one short warm-up round.
export async function sweep(options: {
  concurrencies: number[];
  runs: number;
  seconds: number;
  task: (timer: Timer, client: number, iteration: number) => Promise<void>;
  log: (line: string) => void;
  label: string;
  cpu?: CpuSampler;
}): Promise<Summary[]> {
  const summaries: Summary[] = [];
  for (const concurrency of options.concurrencies) {
    await runClosedLoop({ concurrency, seconds: Math.min(2, options.seconds), task: options.task });
    const results: LoadResult[] = [];
    const cpuBefore = options.cpu?.();
    for (let run = 0; run < options.runs; run++) {
      results.push(await runClosedLoop({ concurrency, seconds: options.seconds, task: options.task }));
    }
    const summary = summarize(results);
    if (options.cpu && cpuBefore) {
      const after = options.cpu();
      const tasks = results.reduce((sum, r) => sum + r.tasks, 0);
      summary.cpuMsPerTask = Object.fromEntries(
        Object.keys(after).map((part) => [part, ((after[part] - (cpuBefore[part] ?? 0)) * 1000) / tasks]),
      );
    }
    options.log(
      `[${options.label}] c=${concurrency}: ${summary.tasksPerSecond.toFixed(1)}/s, errors ${summary.errors}` +
        summary.calls.map((c) => `; ${c.name} p50 ${c.p50.toFixed(1)} p99 ${c.p99.toFixed(1)} ms`).join(''),
    );
    if (summary.cpuMsPerTask)
      options.log(
        `[${options.label}] c=${concurrency}: CPU ms per task: ` +
          Object.entries(summary.cpuMsPerTask)
            .map(([part, ms]) => `${part} ${ms.toFixed(1)}`)
            .join(', '),
      );
    if (summary.firstError) options.log(`[${options.label}] first error: ${summary.firstError}`);
    summaries.push(summary);
  }
  return summaries;
}
