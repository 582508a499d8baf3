// Runs the `temporal server start-dev` child process that `npm start` supervises.
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dynamicConfigArgs, searchAttributeArgs } from './dev-server-args';

export interface DevServer {
  address: string;
  uiUrl: string;
  pid: number | undefined;
  // Resolves when the server exits, whether stopped or killed (npm start restarts it).
  exited: Promise<void>;
  stop(): Promise<void>;
}

async function waitUntilReachable(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`temporal dev server exited (${child.exitCode ?? child.signalCode})`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// The dev server's SQLite file in write-ahead-log mode: one append and one fsync per commit
// (synchronous=full keeps every commit durable) instead of the rollback journal's several
// writes and fsyncs, and readers no longer block the writer. Measured in bench/RESULTS.md.
const DURABLE_WAL = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=full'];

export async function startDevServer(options: {
  cli: string;
  dataDir: string;
  ip: string;
  port: number;
  uiPort: number;
  namespace: string;
  log: (line: string) => void;
  // false: the dev server keeps its state in memory (the benchmark compares both).
  persist?: boolean;
}): Promise<DevServer> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    ...(options.persist === false
      ? []
      : ['--db-filename', path.join(options.dataDir, 'temporal.db'), ...DURABLE_WAL]),
    '--ip',
    options.ip,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...searchAttributeArgs(),
    ...dynamicConfigArgs(),
  ];
  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logStream = fs.createWriteStream(path.join(options.dataDir, 'temporal.log'), { flags: 'a' });
  child.stdout?.pipe(logStream);
  child.stderr?.pipe(logStream);
  const address = `${options.ip}:${options.port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilReachable(address, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    address,
    uiUrl: `http://${options.ip}:${options.uiPort}`,
    pid: child.pid,
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
