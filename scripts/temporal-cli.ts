// Finds (or builds) the `temporal` CLI whose dev server we run, in the order ARCHITECTURE.md
// gives: $TEMPORAL_CLI, `temporal` on PATH, .tools/bin/temporal, `go install`, release download.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goInstall as goInstallWithProgress } from './go-install';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const root = path.resolve(__dirname, '..');
const toolsBin = path.join(root, '.tools', 'bin');
const localCli = path.join(toolsBin, 'temporal');

function log(message: string): void {
  console.log(`[temporal-cli] ${message}`);
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

async function goInstall(go: string): Promise<string> {
  const logFile = path.join(root, '.tools', 'logs', 'temporal-cli-build.log');
  log(
    `building temporal ${TEMPORAL_CLI_VERSION} with \`go install\` into .tools/bin: 3-10 minutes on 2 cores, ` +
      `once (log in ${path.relative(root, logFile)})`,
  );
  fs.mkdirSync(toolsBin, { recursive: true });
  await goInstallWithProgress({
    go,
    module: 'github.com/temporalio/cli',
    subpackage: 'cmd/temporal',
    version: TEMPORAL_CLI_VERSION,
    gobin: toolsBin,
    prefix: '[temporal-cli]',
    logFile,
  });
  return localCli;
}

async function downloadRelease(): Promise<string> {
  const arch = { x64: 'amd64', arm64: 'arm64' }[os.arch() as 'x64' | 'arm64'];
  if (!arch) throw new Error(`no Temporal CLI release for ${os.arch()}; install Go and retry`);
  const version = TEMPORAL_CLI_VERSION.slice(1);
  const url = `https://temporal.download/cli/archive/v${version}?platform=${os.platform()}&arch=${arch}`;
  log(`downloading ${url}`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status}`);
  fs.mkdirSync(toolsBin, { recursive: true });
  const archive = path.join(toolsBin, 'temporal.tar.gz');
  fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  const untar = spawnSync('tar', ['-xzf', archive, '-C', toolsBin, 'temporal'], { stdio: 'inherit' });
  fs.rmSync(archive, { force: true });
  if (untar.status !== 0) throw new Error('could not unpack the Temporal CLI archive');
  return localCli;
}

export function findGo(): string | null {
  return findOnPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
}

export async function resolveTemporalCli(): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  if (isExecutable(localCli)) return localCli;
  const go = findGo();
  if (go) return goInstall(go);
  return downloadRelease();
}

if (require.main === module) {
  resolveTemporalCli().then(
    (cli) => console.log(cli),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
