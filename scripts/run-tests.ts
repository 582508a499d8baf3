// `npm test`: make sure the Temporal CLI exists (building it on a fresh machine), then run jest.
// Extra arguments go to jest (`npm test -- test/unit`).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { resolveTemporalCli } from './temporal-cli';

function onPath(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

// The suite validates docker-compose.yml with Debian's docker-compose (no engine needed) and
// drives the API with Debian's stripe-python. On a fresh machine of ours (root, apt) they are
// installed here; elsewhere install them yourself (their tests fail or skip without them).
function ensureDebianPackage(name: string, present: () => boolean, missing: string): void {
  if (present()) return;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    console.warn(`[test] ${name} is missing: ${missing}`);
    return;
  }
  console.log(`[test] installing ${name} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'inherit', env });
}

function hasStripePython(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import stripe'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  ensureDebianPackage(
    'docker-compose',
    () => onPath('docker-compose'),
    'the docker-compose.yml validation test will fail',
  );
  ensureDebianPackage('python3-stripe', hasStripePython, 'the stripe-python test is skipped');
  const cli = await resolveTemporalCli();
  const jest = path.resolve(__dirname, '..', 'node_modules', '.bin', 'jest');
  const child = spawn(jest, process.argv.slice(2), {
    stdio: 'inherit',
    env: { ...process.env, TEMPORAL_CLI: cli },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
