// `npx tsx bench/update-floor.ts`: the floor scenario (bench/floor/) on a Temporal dev server of
// its own, started as the service starts it (persisted to SQLite in WAL mode, synchronous=full,
// our search attributes and dynamic config), with nothing else running: no Postgres, no API.
// `npm run bench` runs the same scenario on its stack's server. Options: --temporal=memory,
// --variants=bare,upsert, --concurrency=1,4,16, --seconds=5, --runs=3.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { option } from './cli-options';
import { floorTables, floorTargetRows } from './floor/report';
import { FLOOR_VARIANTS, runUpdateFloor, type FloorVariant } from './floor/scenario';
import { describeMachine, loadAverage } from './machine';
import { startBenchTemporal } from './stack';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const persist = option('temporal') !== 'memory';
  const variants = (option('variants') ?? FLOOR_VARIANTS.join(',')).split(',') as FloorVariant[];
  const unknown = variants.filter((v) => !FLOOR_VARIANTS.includes(v));
  if (unknown.length > 0) throw new Error(`unknown variant(s) ${unknown.join(', ')}`);
  const machine = describeMachine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-floor-'));
  const { server, pid: temporalPid } = await startBenchTemporal(dir, persist, log);
  try {
    const results = await runUpdateFloor({
      temporalAddress: server.address,
      temporalPid,
      dir,
      variants,
      concurrencies: (option('concurrency') ?? '1,4,16').split(',').map(Number),
      runs: Number(option('runs') ?? 3),
      seconds: Number(option('seconds') ?? 5),
      log,
      loadAverage,
    });
    log(
      `\n${new Date().toISOString()}: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; the Temporal dev server ${persist ? 'persisted to SQLite (WAL, synchronous=full)' : 'in memory'}, alone.\n`,
    );
    log([...floorTargetRows(results, 150), '', ...floorTables(results, machine.cpus)].join('\n'));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
