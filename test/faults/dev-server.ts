// A Temporal dev server of a test's own, persisted in a SQLite file, on a fixed port, that the
// test can SIGKILL and start again on the same file and port (a crash and a restart).
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../../db/embedded-postgres';
import { dynamicConfigArgs, searchAttributeArgs } from '../../scripts/dev-server-args';
import { waitFor } from '../support/wait-for';

export interface PersistentDevServer {
  address: string;
  child: ChildProcess;
  // SIGKILL: no shutdown, whatever was in flight is cut off.
  kill(): Promise<void>;
}

export interface DevServerPlace {
  dbFile: string;
  logFile: string;
  port: number;
  httpPort: number;
}

export async function devServerPlace(dbFile: string): Promise<DevServerPlace> {
  return { dbFile, logFile: `${dbFile}.log`, port: await freePort(), httpPort: await freePort() };
}

export async function startPersistentDevServer(place: DevServerPlace): Promise<PersistentDevServer> {
  const cli = process.env.TEST_TEMPORAL_CLI;
  if (!cli) throw new Error('TEST_TEMPORAL_CLI is not set: run through the jest global setup');
  const child = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--db-filename',
      place.dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(place.port),
      '--http-port',
      String(place.httpPort),
      '--headless',
      '--log-level',
      'warn',
      ...searchAttributeArgs(),
      ...dynamicConfigArgs(),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = fs.createWriteStream(place.logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const address = `127.0.0.1:${place.port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`temporal dev server exited (${child.exitCode}): see ${place.logFile}`);
      }
      try {
        const connection = await Connection.connect({ address, connectTimeout: 1_000 });
        await connection.workflowService.getSystemInfo({});
        await connection.close();
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    `the dev server on ${address}`,
  );
  return {
    address,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
