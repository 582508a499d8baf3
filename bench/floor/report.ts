// The floor scenario's figures as Markdown: per variant, the rate of updates, their latency and
// what each update cost each process; and the lines the targets table gets from them.
import type { Summary } from '../load';
import { UPDATES_PER_TASK, type FloorResult } from './scenario';
import { f0, f1 } from '../format';

const VARIANT_NAMES: Record<FloorResult['variant'], string> = {
  bare: 'bare updates',
  upsert: 'one search-attribute upsert per update',
};
const VARIANT_NOTES: Record<FloorResult['variant'], string> = {
  bare: '',
  upsert: ' (as the invoice workflow writes once per task)',
};

const updatesPerSecond = (s: Summary) => s.tasksPerSecond * UPDATES_PER_TASK;
const maxP99 = (s: Summary) => Math.max(...s.calls.map((c) => c.p99));

export function floorTables(results: FloorResult[], cores: number): string[] {
  const out: string[] = [];
  for (const { variant, summaries, load } of results) {
    out.push(
      `${VARIANT_NAMES[variant]}${VARIANT_NOTES[variant]}; load average ${load}:`,
      '',
      `| concurrency | updates/s | update-with-start p50 ms | p99 ms | update p50 ms | p99 ms | Temporal ms | worker ms | client ms | total CPU ms per update | updates/s if ${cores} cores did only this |`,
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const s of summaries) {
      const per = (part: string) => (s.cpuMsPerTask?.[part] ?? NaN) / UPDATES_PER_TASK;
      const total = per('temporal') + per('worker') + per('client');
      const start = s.calls.find((c) => c.name === 'update-with-start');
      const update = s.calls.find((c) => c.name === 'update');
      out.push(
        `| ${s.concurrency} | ${f0(updatesPerSecond(s))} | ${f1(start?.p50 ?? NaN)} | ${f1(start?.p99 ?? NaN)} | ${f1(update?.p50 ?? NaN)} | ${f1(update?.p99 ?? NaN)} | ${f1(per('temporal'))} | ${f1(per('worker'))} | ${f1(per('client'))} | ${f1(total)} | ${f0((cores * 1000) / total)} |`,
      );
    }
    out.push('');
  }
  return out;
}

// The fastest level, and the fastest whose every call kept p99 within the bound.
export function floorTargetRows(results: FloorResult[], maxLatency: number): string[] {
  return results.map(({ variant, summaries }) => {
    const fastest = [...summaries].sort((a, b) => updatesPerSecond(b) - updatesPerSecond(a))[0];
    const within = summaries
      .filter((s) => maxP99(s) <= maxLatency)
      .sort((a, b) => updatesPerSecond(b) - updatesPerSecond(a))[0];
    const describe = (s: Summary) =>
      `${f0(updatesPerSecond(s))} updates/s, p99 ${f1(maxP99(s))} ms (c=${s.concurrency})`;
    return `| … the floor: ${VARIANT_NAMES[variant]}, none of our code | | ${describe(fastest)}; with p99 ≤ ${maxLatency} ms: ${within ? describe(within) : 'none'} | — |`;
  });
}

// A variant's figures at one concurrency level.
export function floorAt(
  results: FloorResult[],
  variant: FloorResult['variant'],
  concurrency: number,
): { rate: number; p99: number } | null {
  const s = results.find((r) => r.variant === variant)?.summaries.find((x) => x.concurrency === concurrency);
  return s ? { rate: updatesPerSecond(s), p99: maxP99(s) } : null;
}

// The fastest level of a variant whose every call kept p99 within the bound, if any.
export function bestFloorWithin(
  results: FloorResult[],
  variant: FloorResult['variant'],
  maxLatency: number,
): { rate: number; p99: number; concurrency: number } | null {
  const summaries = results.find((r) => r.variant === variant)?.summaries ?? [];
  const within = summaries
    .filter((s) => maxP99(s) <= maxLatency)
    .sort((a, b) => updatesPerSecond(b) - updatesPerSecond(a))[0];
  return within
    ? { rate: updatesPerSecond(within), p99: maxP99(within), concurrency: within.concurrency }
    : null;
}
