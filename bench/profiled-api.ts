// The API process of bench/cpu-profile.ts: api/server.ts's own start, plus a CPU profiler that
// SIGUSR2 starts and SIGUSR1 stops, writing $BENCH_PROFILE_FILE, so the profile holds the
// measured load only (no start-up, no warm-up).
import fs from 'node:fs';
import { Session } from 'node:inspector';
import { connectDatabase } from '../db/connection';
import { requireEnv, temporalConfigFromEnv } from '../worker/config';
import { apiConfigFromEnv } from '../api/config';
import { connectClient, listen } from '../api/server';

const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );

process.on('SIGUSR2', () => {
  void post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 200 }))
    .then(() => post('Profiler.start'));
});
process.on('SIGUSR1', () => {
  void post('Profiler.stop').then((result) => {
    fs.writeFileSync(
      requireEnv('BENCH_PROFILE_FILE'),
      JSON.stringify((result as { profile: unknown }).profile),
    );
    console.log('profile written');
  });
});

async function main(): Promise<void> {
  const temporalConfig = temporalConfigFromEnv();
  const db = connectDatabase(requireEnv('DATABASE_URL'));
  const temporal = await connectClient(temporalConfig);
  const api = await listen({ db, temporal, temporalConfig }, apiConfigFromEnv());
  console.log(`API listening on ${api.url}`);
  process.once('SIGTERM', () => {
    void api
      .close()
      .then(() => temporal.connection.close())
      .then(() => db.destroy())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
