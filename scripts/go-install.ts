// `go install -x <module>/<package>@<version>` for the Temporal CLI and server builds, shown as
// one progress line ("compiled 812 of 1298 packages") instead of its thousands of lines, which go
// to a log file printed on failure. The total comes from `go list -deps` run in the module's own
// folder of the module cache, which is what `go install pkg@version` builds.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createReporter, failureReport, goCounter, runLogged, shownPath } from './progress';

export interface GoInstall {
  go: string;
  module: string; // e.g. github.com/temporalio/cli
  subpackage: string; // e.g. cmd/temporal
  version: string;
  gobin: string;
  prefix: string; // e.g. [temporal-cli]
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

function capture(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

// A Go package path alone on its line (no spaces, no "go: ..." message).
export function isPackageLine(line: string): boolean {
  return /^[^\s:]+$/.test(line.trim());
}

// The number of packages to build (standard library included), or null when it cannot be known
// (the build then reports its own errors).
async function countPackages(
  options: GoInstall,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<number | null | 'interrupted'> {
  let dir: string | undefined;
  try {
    const module = `${options.module}@${options.version}`;
    dir = (
      JSON.parse(await capture(options.go, ['mod', 'download', '-json', module], env)) as { Dir?: string }
    ).Dir;
  } catch {
    return null;
  }
  if (!dir) return null;
  let packages = 0;
  const listed = await runLogged({
    command: options.go,
    args: ['list', '-deps', `./${options.subpackage}`],
    cwd: dir,
    env: { ...env, GOFLAGS: `${env.GOFLAGS} -mod=readonly` },
    logFile: options.logFile,
    append: true,
    onLine: (line) => {
      if (isPackageLine(line)) packages++;
      else onLine(line);
    },
  });
  if (listed.interrupted) return 'interrupted';
  return listed.code === 0 ? packages : null;
}

export async function goInstall(options: GoInstall): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    GOBIN: options.gobin,
    GOWORK: 'off',
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim(),
  };
  // One log for the listing and the build, from this run only.
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  fs.writeFileSync(options.logFile, '');
  const counter = goCounter(null);
  const reporter = createReporter({ prefix: `${options.prefix} go install:`, status: 'resolving modules' });
  const onLine = (line: string) => {
    if (counter.line(line)) reporter.update(counter.status());
  };

  const listed = await countPackages(options, env, onLine);
  if (listed === 'interrupted') {
    reporter.finish('interrupted');
    throw new Error(`interrupted while listing the packages of ${options.module}`);
  }
  counter.state.total = listed;

  const pkg = `${options.module}/${options.subpackage}@${options.version}`;
  const result = await runLogged({
    command: options.go,
    args: ['install', '-x', pkg],
    env,
    logFile: options.logFile,
    append: true,
    onLine,
  });
  if (result.interrupted) {
    reporter.finish('interrupted');
    throw new Error(`go install ${pkg} interrupted (${result.interrupted})`);
  }
  if (result.code !== 0) {
    reporter.finish(`failed (exit code ${result.code})`);
    for (const line of failureReport(`${options.prefix} go install`, options.logFile)) console.error(line);
    throw new Error(`go install ${pkg} failed; full log: ${options.logFile}`);
  }
  reporter.finish(
    `built ${shownPath(path.join(options.gobin, path.basename(options.subpackage)))}: ${counter.built()}`,
  );
}
