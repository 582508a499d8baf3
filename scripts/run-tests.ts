// `npm test`: make sure the Temporal CLI exists (building it on a fresh machine), then run jest.
// Extra arguments go to jest (`npm test -- test/unit`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { resolveTemporalCli } from './temporal-cli';

async function main(): Promise<void> {
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
