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

function ensureDependencies() {
  const wanted = lockHash();
  const have = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
  if (have === wanted && fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))) return;
  console.log(
    '[bootstrap] installing dependencies with `npm ci` (first run, or package-lock.json changed)...',
  );
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=http'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('[bootstrap] npm ci failed');
    process.exit(result.status ?? 1);
  }
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
ensureDependencies();
if (commands[command] === null) process.exit(0);
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
// The cluster supervisor runs in Node itself with tsx's loader: the tsx CLI SIGKILLs a child that
// does not acknowledge a relayed Ctrl-C within 30 ms, which cut its ordered shutdown short.
const [program, args] =
  command === 'cluster'
    ? [process.execPath, ['--import', 'tsx', ...commands[command], ...rest]]
    : [tsx, [...commands[command], ...rest]];
const child = require('node:child_process').spawn(program, args, {
  cwd: root,
  stdio: 'inherit',
});
// The supervisor below handles the signals itself; forward them instead of dying first.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
