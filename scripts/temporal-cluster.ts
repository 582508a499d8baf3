// The real Temporal server (not the dev server) on Postgres, as `npm run cluster`, the cluster
// tests and the cluster benchmark run it: the schemas set up with the server's own SQL tool, the
// server started from scripts/temporal/invoicing.yaml with all four services in one process on
// free ports, then the namespace and our search attributes registered.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { freePort } from '../db/embedded-postgres';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const root = path.resolve(__dirname, '..');
const IndexedValueType = proto.api.enums.v1.IndexedValueType;

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

// host, port, user and password of a postgres:// URL (its database and options are not used:
// Temporal's own two databases live beside it on the same server).
export function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

async function hasSchema(target: PostgresTarget, database: string): Promise<boolean> {
  const client = new PgClient({ ...target, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) return false;
  } finally {
    await client.end();
  }
  const inside = new PgClient({ ...target, database });
  await inside.connect();
  try {
    const table = await inside.query(`select to_regclass('public.schema_version') as name`);
    return (table.rows[0] as { name: string | null }).name !== null;
  } finally {
    await inside.end();
  }
}

// Creates Temporal's two databases and brings their schemas to the server's version, with the
// server's own tool and the schemas built into it. Safe to run again (then only an update).
export async function setupTemporalSchemas(
  sqlTool: string,
  target: PostgresTarget,
  log: (line: string) => void,
): Promise<void> {
  for (const [kind, database] of Object.entries(TEMPORAL_DATABASES)) {
    const tool = (...args: string[]) => {
      const common = ['--plugin', 'postgres12', '--endpoint', target.host, '--port', String(target.port)];
      const auth = ['--user', target.user, '--password', target.password, '--database', database];
      const result = spawnSync(sqlTool, [...common, ...auth, ...args], { encoding: 'utf8' });
      if (result.status !== 0) {
        throw new Error(
          `temporal sql tool ${args[0]} (${database}) failed:\n${result.stderr}${result.stdout}`,
        );
      }
    };
    if (!(await hasSchema(target, database))) {
      log(`[temporal] creating database ${database} and its schema`);
      if (!(await databaseExists(target, database))) tool('create-database');
      tool('setup-schema', '--version', '0.0');
    }
    tool(
      'update-schema',
      '--schema-name',
      `postgresql/v12/${kind === 'default' ? 'temporal' : 'visibility'}`,
    );
  }
}

async function databaseExists(target: PostgresTarget, database: string): Promise<boolean> {
  const client = new PgClient({ ...target, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [database])).rowCount !== 0;
  } finally {
    await client.end();
  }
}

// Where one server runs: its Postgres and its ports, kept across a restart.
export interface TemporalServerPlace {
  target: PostgresTarget;
  logFile: string;
  ports: Record<'frontend' | 'frontendHttp' | 'history' | 'matching' | 'worker', number> &
    Record<'frontendMembership' | 'historyMembership' | 'matchingMembership' | 'workerMembership', number>;
}

// Membership ports are stored in a Postgres smallint (cluster_membership.rpc_port): the
// system's free ports (32768 and up) do not fit, so these are picked below 32768, at random.
async function freeSmallPort(): Promise<number> {
  for (;;) {
    const candidate = 10_000 + Math.floor(Math.random() * 22_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
}

export async function temporalServerPlace(
  target: PostgresTarget,
  logFile: string,
  frontendPort?: number,
): Promise<TemporalServerPlace> {
  const ports = {
    frontend: frontendPort || (await freePort()),
    frontendHttp: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    frontendMembership: await freeSmallPort(),
    historyMembership: await freeSmallPort(),
    matchingMembership: await freeSmallPort(),
    workerMembership: await freeSmallPort(),
  };
  return { target, logFile, ports };
}

// The environment that fills in scripts/temporal/invoicing.yaml for this place.
export function serverEnvironment(place: TemporalServerPlace): Record<string, string> {
  const { ports, target } = place;
  return {
    TEMPORAL_POSTGRES_HOST: target.host,
    TEMPORAL_POSTGRES_PORT: String(target.port),
    TEMPORAL_POSTGRES_USER: target.user,
    TEMPORAL_POSTGRES_PASSWORD: target.password,
    TEMPORAL_FRONTEND_PORT: String(ports.frontend),
    TEMPORAL_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    TEMPORAL_HISTORY_PORT: String(ports.history),
    TEMPORAL_MATCHING_PORT: String(ports.matching),
    TEMPORAL_WORKER_PORT: String(ports.worker),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    TEMPORAL_DYNAMIC_CONFIG: path.join(root, 'scripts', 'temporal', 'dynamicconfig.yaml'),
  };
}

export interface TemporalServer {
  address: string;
  pid: number;
  child: ChildProcess;
  // SIGTERM, then SIGKILL after 15 s.
  stop(): Promise<void>;
  // SIGKILL: a crash; whatever was in flight is cut off.
  kill(): Promise<void>;
}

function ended(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function startTemporalServer(
  serverBin: string,
  place: TemporalServerPlace,
): Promise<TemporalServer> {
  const out = fs.openSync(place.logFile, 'a');
  const args = ['--root', root, '--config', 'scripts/temporal', '--env', 'invoicing', '--allow-no-auth'];
  const child = spawn(serverBin, [...args, 'start'], {
    cwd: root,
    env: { ...process.env, ...serverEnvironment(place) },
    stdio: ['ignore', out, out],
    // A group of its own, stopped by the supervisor after the workers (see cluster-stack.ts).
    detached: true,
  });
  fs.closeSync(out);
  const address = `127.0.0.1:${place.ports.frontend}`;
  const signal = (name: NodeJS.Signals, graceMs: number) =>
    new Promise<void>((resolve) => {
      if (ended(child)) return resolve();
      child.once('exit', () => resolve());
      child.kill(name);
      if (name !== 'SIGKILL') setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
    });
  const server = {
    address,
    pid: child.pid ?? 0,
    child,
    stop: () => signal('SIGTERM', 15_000),
    kill: () => signal('SIGKILL', 0),
  };
  try {
    await waitUntilServing(address, child, place.logFile, 90_000);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

// Until the frontend answers and reads its own system namespace from Postgres.
async function waitUntilServing(
  address: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended(child)) {
      const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
      const tail = lines
        .slice(-5)
        .map((line) => line.slice(0, 400))
        .join('\n');
      throw new Error(`the Temporal server exited (${child.exitCode ?? child.signalCode}):\n${tail}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        await connection.withDeadline(Date.now() + 2_000, () =>
          connection.workflowService.describeNamespace({ namespace: 'temporal-system' }),
        );
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the Temporal server on ${address} is not serving: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const INDEXED_TYPES: Record<string, number> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

// The namespace (3 days of retention after a workflow closes, as the dev server keeps) and
// every search attribute of workflows/search-attributes.ts; what exists already is kept.
// Answers whether anything was new.
export async function registerNamespace(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    let changed = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('3 days'),
      });
      changed = true;
    }
    // A new namespace reaches the frontend's namespace cache within its refresh (10 s).
    const deadline = Date.now() + 30_000;
    let existing;
    for (;;) {
      try {
        existing = await connection.operatorService.listSearchAttributes({ namespace });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !(key.name in existing.customAttributes));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPES[key.type]])),
      });
      changed = true;
    }
    return changed;
  } finally {
    await connection.close();
  }
}
