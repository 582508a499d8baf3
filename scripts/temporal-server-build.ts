// Finds (or builds) the real Temporal server and its SQL schema tool, which `npm run cluster`,
// `npm run test:cluster` and `npm run bench -- --cluster` run: `go install` of
// go.temporal.io/server/cmd/server and .../cmd/tools/sql at TEMPORAL_SERVER_VERSION into the
// git-ignored .tools/temporal-server/<version>/ (binaries named `server` and `sql`), once.
// $TEMPORAL_SERVER_BIN and $TEMPORAL_SQL_TOOL point at binaries built elsewhere instead.
// There is no release download: the server's releases ship in Docker images, not archives.
import fs from 'node:fs';
import path from 'node:path';
import { goInstall as goInstallWithProgress } from './go-install';
import { findGo, isExecutable } from './temporal-cli';

// The version docker-compose.yml runs too (temporalio/server and temporalio/admin-tools tags).
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const root = path.resolve(__dirname, '..');
const toolsDir = path.join(root, '.tools', 'temporal-server', TEMPORAL_SERVER_VERSION);

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
}

function log(message: string): void {
  console.log(`[temporal-server] ${message}`);
}

async function goInstall(go: string, subpackage: string, name: string): Promise<string> {
  const target = path.join(toolsDir, name);
  if (isExecutable(target)) return target;
  const logFile = path.join(root, '.tools', 'logs', `temporal-${name}-build.log`);
  log(
    `building go.temporal.io/server/${subpackage}@${TEMPORAL_SERVER_VERSION} with \`go install\` into ` +
      `${path.relative(root, toolsDir)} (log in ${path.relative(root, logFile)})`,
  );
  if (name === 'server')
    log('on 2 cores a first build takes about 10-20 minutes (the server is large), once.');
  fs.mkdirSync(toolsDir, { recursive: true });
  await goInstallWithProgress({
    go,
    module: 'go.temporal.io/server',
    subpackage,
    version: TEMPORAL_SERVER_VERSION,
    gobin: toolsDir,
    prefix: '[temporal-server]',
    logFile,
  });
  if (!isExecutable(target)) throw new Error(`go install finished but ${target} is missing`);
  return target;
}

export async function resolveTemporalServer(): Promise<TemporalServerTools> {
  const fromEnv = [process.env.TEMPORAL_SERVER_BIN, process.env.TEMPORAL_SQL_TOOL];
  if (fromEnv[0] && fromEnv[1]) {
    for (const file of fromEnv)
      if (!isExecutable(file!)) throw new Error(`${file} is not an executable file`);
    return { server: fromEnv[0], sqlTool: fromEnv[1] };
  }
  const have = { server: path.join(toolsDir, 'server'), sqlTool: path.join(toolsDir, 'sql') };
  if (isExecutable(have.server) && isExecutable(have.sqlTool)) return have;
  const go = findGo();
  if (!go) {
    throw new Error(
      `the Temporal server ${TEMPORAL_SERVER_VERSION} is not built and Go is not installed: install Go 1.23+ ` +
        `(or set TEMPORAL_SERVER_BIN and TEMPORAL_SQL_TOOL) and run \`npm run temporal-server\``,
    );
  }
  return {
    server: await goInstall(go, 'cmd/server', 'server'),
    sqlTool: await goInstall(go, 'cmd/tools/sql', 'sql'),
  };
}

if (require.main === module) {
  resolveTemporalServer().then(
    (tools) => console.log(`${tools.server}\n${tools.sqlTool}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
