#!/usr/bin/env node
// Entry point of `npm start`, `npm test` and `npm run create-account` on a fresh clone: it must
// run before node_modules exists, so it is plain JavaScript with only Node built-ins.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stampFile = path.join(root, 'node_modules', '.installed-lock-hash');

function lockHash() {
  const crypto = require('node:crypto');
  return crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
}

// `npm ci` with its output in .tools/logs/npm-ci.log and a progress line here instead: npm's own
// log level http prints one line per package document and tarball (1,400 lines).
async function ensureDependencies() {
  const wanted = lockHash();
  const have = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
  if (have === wanted && fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))) return;
  const progress = require('./progress');
  const logFile = path.join(root, '.tools', 'logs', 'npm-ci.log');
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const counter = progress.npmCounter(progress.npmPackagesToInstall(lock));
  console.log(
    '[bootstrap] installing dependencies with `npm ci` (first run, or package-lock.json changed); ' +
      `log in ${path.relative(root, logFile)}`,
  );
  const reporter = progress.createReporter({ prefix: '[bootstrap] npm ci:', status: counter.status() });
  const { code, interrupted } = await progress.runLogged({
    command: 'npm',
    args: ['ci', '--no-audit', '--no-fund', '--no-progress', '--loglevel=http'],
    cwd: root,
    env: process.env,
    logFile,
    onLine: (line) => {
      if (counter.line(line)) reporter.update(counter.status());
    },
  });
  if (interrupted) {
    reporter.finish('interrupted');
    process.exit(130);
  }
  if (code !== 0) {
    reporter.finish(`failed (exit code ${code})`);
    for (const line of progress.failureReport('[bootstrap] npm ci', logFile)) console.error(line);
    process.exit(code);
  }
  reporter.finish(counter.status());
  fs.writeFileSync(stampFile, wanted + '\n');
}

const commands = {
  install: null, // dependencies only (CI)
  start: ['scripts/start.ts'],
  cluster: ['scripts/cluster.ts'],
  test: ['scripts/run-tests.ts'],
  'create-account': ['scripts/create-account.ts'],
};

const [command, ...rest] = process.argv.slice(2);
if (!(command in commands)) {
  console.error(`usage: bootstrap.js ${Object.keys(commands).join('|')} [args...]`);
  process.exit(2);
}
ensureDependencies().then(() => {
  if (commands[command] === null) process.exit(0);
  handOver(commands[command]);
});

function handOver(script) {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  // The supervisors (start, cluster) run in Node itself with tsx's loader: the tsx CLI SIGKILLs a
  // child that does not acknowledge a relayed Ctrl-C within 30 ms (on a loaded machine it often
  // does not), which cut their ordered shutdown short.
  const supervisor = command === 'start' || command === 'cluster';
  const [program, args] = supervisor
    ? [process.execPath, ['--import', 'tsx', ...script, ...rest]]
    : [tsx, [...script, ...rest]];
  const child = require('node:child_process').spawn(program, args, {
    cwd: root,
    stdio: 'inherit',
    // The supervisors in a process group of their own: a terminal's Ctrl-C reaches this process
    // alone, which passes it on, and not the embedded Postgres and Temporal server too (they died
    // at once and were restarted, or logged failed writes, while the supervisor stopped them in
    // order).
    detached: supervisor,
  });
  // The supervisor below handles the signals itself; forward them instead of dying first.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
