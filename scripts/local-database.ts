// The database `npm start` and `npm run create-account` share: DATABASE_URL when set, else the
// embedded cluster under .data/ — reused when another command of ours already runs it.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { shownPath } from './progress';

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
  const logFile = path.join(dataDir, 'postgres.log');
  log(
    `[postgres] starting embedded Postgres (data in ${shownPath(path.join(dataDir, 'postgres'))}, log in ${shownPath(logFile)})`,
  );
  fs.mkdirSync(dataDir, { recursive: true });
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  return startOwnCluster(dataDir, urlFile, (line) =>
    logStream.write(`${new Date().toISOString()} ${line}\n`),
  );
}

async function startOwnCluster(
  dataDir: string,
  urlFile: string,
  log: (line: string) => void,
  port?: number,
): Promise<LocalDatabase> {
  // initdb's and the server's messages go to the log file (printed on failure by the caller).
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port, log });
  fs.writeFileSync(urlFile, cluster.url + '\n');
  return {
    url: cluster.url,
    embedded: true,
    pid: cluster.pid,
    exited: cluster.exited,
    restart: () => startOwnCluster(dataDir, urlFile, log, cluster.port),
    stop: async () => {
      fs.rmSync(urlFile, { force: true });
      await cluster.stop();
    },
  };
}
