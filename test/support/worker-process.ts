// A worker in its own process (worker/main.ts, as in production), so a test can SIGKILL it
// mid-flight and start another, exactly as a crash and a restart would happen.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaultPoint } from '../../activities/faults';
import type { Stack } from './stack';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  marker: string;
  // Resolves once the armed fault point has been reached (the worker is now stuck there).
  faultReached(timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export function spawnWorker(
  stack: Stack,
  fault?: FaultPoint,
  extraEnv: NodeJS.ProcessEnv = {},
): WorkerProcess {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fault-')), 'reached');
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child process
  // that SIGKILL would leave running (a "killed" worker that keeps taking tasks).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      // Emails and hosted links as the stack's own worker has them.
      EMAIL_OUTBOX_DIR: stack.customerFacing.outboxDir,
      PUBLIC_URL: stack.customerFacing.publicUrl,
      TEMPORAL_ADDRESS: stack.config.address,
      TEMPORAL_NAMESPACE: stack.config.namespace,
      TASK_QUEUE: stack.config.taskQueue,
      WORKFLOW_BUNDLE: process.env.TEST_WORKFLOW_BUNDLE,
      // The test's own dispatcher starts deliveries; this worker only runs tasks.
      EVENT_DISPATCHER: 'off',
      // The tests' receivers listen on loopback (the standalone worker defaults to strict).
      WEBHOOK_URL_POLICY: 'permissive',
      ...(fault ? { INVOICING_FAULT: fault, INVOICING_FAULT_MARKER: marker } : {}),
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const logFile = process.env.TEST_WORKER_LOG;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    if (logFile) fs.appendFileSync(logFile, `[${child.pid}] ${chunk.toString()}`);
  });
  return {
    child,
    marker,
    async faultReached(timeoutMs = 30_000) {
      await waitFor(
        () => fs.existsSync(marker) || (child.exitCode !== null ? Promise.reject(new Error(stderr)) : false),
        timeoutMs,
        `the worker to reach ${fault}`,
      );
    },
    kill() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  };
}
