// The database `npm start` and `npm run create-account` share: DATABASE_URL when set, else the
// embedded cluster under .data/ — reused when another command of ours already runs it.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';

export interface LocalDatabase {
  url: string;
  embedded: boolean;
  // Only for the cluster this call started: its postmaster's pid, its exit, and how to start it
  // again on the same folder and port (same URL) after it died.
  pid?: number;
  exited?: Promise<void>;
  restart?: () => Promise<LocalDatabase>;
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function openLocalDatabase(
  dataDir: string,
  log: (line: string) => void,
): Promise<LocalDatabase> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  const urlFile = path.join(dataDir, 'postgres.url');
  if (fs.existsSync(urlFile)) {
    const url = fs.readFileSync(urlFile, 'utf8').trim();
    if (await reachable(url)) return { url, embedded: true, stop: async () => undefined };
  }
  log(`[postgres] starting embedded Postgres (data in ${path.join(dataDir, 'postgres')})`);
  return startOwnCluster(dataDir, urlFile);
}

async function startOwnCluster(dataDir: string, urlFile: string, port?: number): Promise<LocalDatabase> {
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port });
  fs.writeFileSync(urlFile, cluster.url + '\n');
  return {
    url: cluster.url,
    embedded: true,
    pid: cluster.pid,
    exited: cluster.exited,
    restart: () => startOwnCluster(dataDir, urlFile, cluster.port),
    stop: async () => {
      fs.rmSync(urlFile, { force: true });
      await cluster.stop();
    },
  };
}
