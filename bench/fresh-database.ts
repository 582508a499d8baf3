// A new database for a benchmark that needs Postgres alone: on BENCH_DATABASE_URL's server if
// set, else on an embedded Postgres in a temporary folder (removed by stop()).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../db/connection';
import { startEmbeddedPostgres } from '../db/embedded-postgres';

export async function freshDatabase(prefix: string): Promise<{ url: string; stop: () => Promise<void> }> {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stopServer: () => Promise<void> = async () => undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-bench-'));
  if (!serverUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres') });
    serverUrl = pg.url;
    stopServer = pg.stop;
  }
  const name = `${prefix}_${Date.now()}`;
  const admin = connectDatabase(serverUrl, { poolMax: 1 });
  await admin.raw(`create database ${name}`);
  // Index builds on a million rows want more than the default 64 MB.
  await admin.raw(`alter database ${name} set maintenance_work_mem = '512MB'`);
  await admin.destroy();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      await stopServer();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
