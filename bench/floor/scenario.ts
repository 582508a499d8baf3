// The floor scenario: bench/floor/workflow.ts driven through a Temporal server by a worker
// process of its own (bench/floor/worker.ts, the SDK's defaults) and this process as the client.
// Each task is one workflow's three updates (update-with-start, then two updates: the shape of
// create, finalize, pay); CPU is read per process from /proc. What one update costs here is what
// any design built on one Workflow Update per write pays before its own code runs.
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import path from 'node:path';
import { InvoiceStatus } from '../../workflows/search-attributes';
import { sweep, type Summary } from '../load';
import { measureAtRest, sampleProcess } from '../machine';
import { runChild, stopChild, waitForLine } from '../stack';
import { closeSignal, FLOOR_WORKFLOW_TYPE, stepUpdate, type FloorInput } from './workflow';

const TASK_QUEUE = 'floor';
let workflowSequence = 0;
export const UPDATES_PER_TASK = 3;
export const FLOOR_VARIANTS = ['bare', 'upsert'] as const;
export type FloorVariant = (typeof FLOOR_VARIANTS)[number];

export interface FloorResult {
  variant: FloorVariant;
  summaries: Summary[];
  load: string;
}

export interface FloorOptions {
  temporalAddress: string;
  temporalPid: number | null;
  // A folder for the worker's log.
  dir: string;
  variants: FloorVariant[];
  concurrencies: number[];
  runs: number;
  seconds: number;
  log: (line: string) => void;
  loadAverage: () => string;
}

// Until the process uses under 5% of a core over a second (at most 60 s).
async function waitUntilQuiet(pid: number): Promise<void> {
  for (let second = 0; second < 60; second++) {
    if ((await measureAtRest(pid, 1)).cpuPercent < 5) return;
  }
}

async function runVariant(
  client: Client,
  variant: FloorVariant,
  options: FloorOptions & { cpu: () => Record<string, number> },
): Promise<{ summaries: Summary[]; workflowIds: string[] }> {
  const workflowIds: string[] = [];
  const input: FloorInput = { upsertPerUpdate: variant === 'upsert' };
  const summaries = await sweep({
    ...options,
    label: `floor ${variant}`,
    task: async (timer) => {
      // New every time: USE_EXISTING would otherwise send a repeated id's updates to an old run.
      const workflowId = `floor-${variant}-${++workflowSequence}`;
      const startWorkflowOperation = new WithStartWorkflowOperation(FLOOR_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: new TypedSearchAttributes([{ key: InvoiceStatus, value: 'draft' }]),
      });
      await timer.time('update-with-start', () =>
        client.workflow.executeUpdateWithStart(stepUpdate, { args: ['open'], startWorkflowOperation }),
      );
      const handle = client.workflow.getHandle(workflowId);
      await timer.time('update', () => handle.executeUpdate(stepUpdate, { args: ['paid'] }));
      await timer.time('update', () => handle.executeUpdate(stepUpdate, { args: ['void'] }));
      workflowIds.push(workflowId);
    },
  });
  return { summaries, workflowIds };
}

export async function runUpdateFloor(options: FloorOptions): Promise<FloorResult[]> {
  const workerLog = path.join(options.dir, 'floor-worker.log');
  const worker = runChild(
    'bench/floor/worker.ts',
    { TEMPORAL_ADDRESS: options.temporalAddress, TASK_QUEUE },
    workerLog,
  );
  let connection: Connection | undefined;
  try {
    await waitForLine(workerLog, /floor worker polling/, worker, 120_000);
    connection = await Connection.connect({ address: options.temporalAddress });
    const client = new Client({ connection, namespace: 'default' });
    const cpu = () => {
      const own = process.cpuUsage();
      return {
        temporal: options.temporalPid ? (sampleProcess(options.temporalPid)?.cpuSeconds ?? 0) : 0,
        worker: sampleProcess(worker.pid ?? 0)?.cpuSeconds ?? 0,
        client: (own.user + own.system) / 1e6,
      };
    };
    const results: FloorResult[] = [];
    for (const variant of options.variants) {
      const load = options.loadAverage();
      const { summaries, workflowIds } = await runVariant(client, variant, { ...options, cpu });
      results.push({ variant, summaries, load: `${load} → ${options.loadAverage()}` });
      // Closed workflows leave the worker's cache, so each variant starts from an empty one;
      // the server's work of closing them (history and visibility tasks) must not be counted in
      // the next variant's first round, nor in the scenarios that follow.
      for (let i = 0; i < workflowIds.length; i += 64)
        await Promise.all(
          workflowIds.slice(i, i + 64).map((id) => client.workflow.getHandle(id).signal(closeSignal)),
        );
      if (options.temporalPid) await waitUntilQuiet(options.temporalPid);
    }
    return results;
  } finally {
    await connection?.close();
    await stopChild(worker);
  }
}
