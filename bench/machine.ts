// What the figures were measured on, and per-process memory and CPU read from /proc (Linux).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Machine {
  // The commit measured (with "+changes" when the tree had uncommitted edits).
  commit: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

function currentCommit(): string {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' }).stdout.trim();
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--untracked-files=no') ? `${commit}+changes` : commit;
}

export function describeMachine(): Machine {
  return {
    commit: currentCommit(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

// The 1, 5 and 15 minute load averages, as `uptime` shows them.
export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcessSample {
  rssMiB: number;
  cpuSeconds: number;
}

export function sampleProcess(pid: number, children = false): ProcessSample | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces): utime is the 14th, stime the 15th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // With `children`, add cutime and cstime: the CPU of children it has reaped (a postmaster's
    // ended backends).
    const ticks =
      Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return { rssMiB: rssKiB / 1024, cpuSeconds: ticks / CLOCK_TICKS };
  } catch {
    return null;
  }
}

// CPU use over a quiet interval, in % of one core, and the RSS at its end.
export async function measureAtRest(
  pid: number,
  seconds: number,
): Promise<{ cpuPercent: number; rssMiB: number }> {
  const before = sampleProcess(pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = sampleProcess(pid);
  if (!before || !after) return { cpuPercent: NaN, rssMiB: NaN };
  return { cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100, rssMiB: after.rssMiB };
}

// Pids of the processes whose command line contains `needle` (e.g. every Postgres backend of
// one data folder).
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return pids;
}

// The given pids and their direct children (a postmaster and its backends).
function withChildren(parents: number[]): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parents.includes(ppid)) children.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return [...parents, ...children];
}

// The database a live backend serves, from the title Postgres gives its process
// ("postgres: <user> <database> <client> <state>"); null for the server's own processes.
function backendDatabase(pid: number): string | null {
  try {
    const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return /^postgres: \S+ (\S+) \S+\(\d+\)/.exec(title)?.[1] ?? null;
  } catch {
    return null;
  }
}

const TEMPORAL_DATABASES = new Set(['temporal', 'temporal_visibility']);

// The postmaster with the backends it has reaped, plus the live ones; the live backends of
// Temporal's own databases (the cluster keeps them on the same server) apart.
function postgresCpu(postmasters: number[]): { ours: number; temporal: number } {
  const live = withChildren(postmasters).filter((pid) => !postmasters.includes(pid));
  const reaped = postmasters.reduce((sum, pid) => sum + (sampleProcess(pid, true)?.cpuSeconds ?? 0), 0);
  const split = { ours: reaped, temporal: 0 };
  for (const pid of live) {
    const seconds = sampleProcess(pid)?.cpuSeconds ?? 0;
    if (TEMPORAL_DATABASES.has(backendDatabase(pid) ?? '')) split.temporal += seconds;
    else split.ours += seconds;
  }
  return split;
}

// CPU seconds used so far by each part of the stack. Postgres backends come and go: each one
// alive at both samples counts fully, which is close enough with a pooled, long-lived set.
export function stackCpu(parts: {
  temporal: number | null;
  // One worker process, or several (the cluster topology), counted together.
  worker: number | number[];
  api: number[];
  postgresDir: string;
}) {
  const cpu = (pids: number[]) => pids.reduce((sum, pid) => sum + (sampleProcess(pid)?.cpuSeconds ?? 0), 0);
  const own = process.cpuUsage();
  const postgres = postgresCpu(pidsMatching(parts.postgresDir));
  return {
    temporal: parts.temporal ? cpu([parts.temporal]) : 0,
    worker: cpu(typeof parts.worker === 'number' ? [parts.worker] : parts.worker),
    api: cpu(parts.api),
    postgres: postgres.ours,
    // Temporal's persistence, when its databases share our Postgres (the cluster); 0 otherwise.
    ...(postgres.temporal > 0 ? { 'postgres for Temporal': postgres.temporal } : {}),
    generator: (own.user + own.system) / 1e6,
  };
}
