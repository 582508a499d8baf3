// `npx tsx bench/cpu-profile.ts [plain|reads|lifecycle] [seconds]`: where an API process spends its CPU.
// Starts an isolated stack (stack.ts, with its worker), runs one API process (profiled-api.ts),
// drives it with the plain-write, read or lifecycle scenario at concurrency 16, profiles the timed run
// only (after a warm-up) and prints the profile's self time grouped by package
// (node_modules/<name>, node internals, our files) and its top functions, with the API's CPU ms
// per task from /proc. The .cpuprofile stays in the printed folder (open it in Chrome's DevTools
// for the call tree), and Postgres's time per statement from pg_stat_statements (every
// process's statements, the worker's too). BENCH_PROFILE_DIR overrides the folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../db/embedded-postgres';
import { BenchClient } from './http-client';
import { runClosedLoop } from './load';

type Task = Parameters<typeof runClosedLoop>[0]['task'];
import { loadAverage, sampleProcess } from './machine';
import { benchApiEnvironment, startBenchStack, type BenchStack } from './stack';

const root = path.resolve(__dirname, '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function groupOf(url: string): string {
  if (!url) return '(native / gc / idle)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return url.split('/')[0].replace(/^node:internal.*/, 'node:internal');
  return path.relative(root, url.replace(/^file:\/\//, ''));
}

export function summarizeProfile(file: string, top = 40): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const group = groupOf(url);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${group}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const idle = profile.nodes
    .filter((n) => n.callFrame.functionName === '(idle)')
    .reduce((sum, n) => sum + (selfUs.get(n.id) ?? 0), 0);
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1)}%`;
  const lines = [
    `busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled`,
    '',
    'by group:',
  ];
  for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 30))
    lines.push(`  ${pct(us).padStart(6)}  ${group}`);
  lines.push('', 'top functions (self):');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us).padStart(6)}  ${name}`);
  return lines;
}

// The scenario's task for runClosedLoop, after its setup (16 customers; for reads, a paid invoice
// each, made through the worker).
export async function scenarioTask(client: BenchClient, scenario: string): Promise<Task> {
  const customers = await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const reply = await client.call('POST', '/v1/customers', { email: `c${i}@bench.example` });
      return reply.body.id as string;
    }),
  );
  if (scenario === 'plain') {
    return async (timer, c, i) => {
      await timer.time('customer', () =>
        client.call('POST', '/v1/customers', { email: `p${c}-${i}@bench.example`, name: 'Plain' }),
      );
      await timer.time('item', () =>
        client.call('POST', '/v1/invoiceitems', {
          customer: customers[c],
          amount: 1000 + i,
          currency: 'usd',
          description: 'Plain write',
        }),
      );
    };
  } else if (scenario === 'lifecycle') {
    return async (timer, c) => {
      const customer = customers[c];
      for (let line = 1; line <= 3; line++) {
        await timer.time('item', () =>
          client.call('POST', '/v1/invoiceitems', { customer, amount: 500 * line, currency: 'usd' }),
        );
      }
      const created = await timer.time('create', () =>
        client.call('POST', '/v1/invoices', {
          customer,
          auto_advance: false,
          pending_invoice_items_behavior: 'include',
        }),
      );
      const invoiceId = created.body.id as string;
      await timer.time('finalize', () => client.call('POST', `/v1/invoices/${invoiceId}/finalize`));
      await timer.time('pay', () =>
        client.call('POST', `/v1/invoices/${invoiceId}/pay`, { payment_method: 'pm_card_visa' }),
      );
    };
  } else {
    // A few paid invoices per customer to read (through the worker: a few seconds).
    const made: Array<{ invoiceId: string; customerId: string }> = [];
    await Promise.all(
      customers.map(async (customer) => {
        await client.call('POST', '/v1/invoiceitems', { customer, amount: 700, currency: 'usd' });
        const created = await client.call('POST', '/v1/invoices', {
          customer,
          auto_advance: false,
          pending_invoice_items_behavior: 'include',
        });
        const invoiceId = created.body.id as string;
        await client.call('POST', `/v1/invoices/${invoiceId}/finalize`);
        await client.call('POST', `/v1/invoices/${invoiceId}/pay`, { payment_method: 'pm_card_visa' });
        made.push({ invoiceId, customerId: customer });
      }),
    );
    return async (timer, c, i) => {
      const { invoiceId, customerId } = made[(c * 7 + i) % made.length];
      await timer.time('retrieve', () => client.call('GET', `/v1/invoices/${invoiceId}`));
      await timer.time('list', () =>
        client.call('GET', '/v1/invoices', { customer: customerId, status: 'paid', limit: 10 }),
      );
      await timer.time('search', () =>
        client.call('GET', '/v1/invoices/search', {
          query: `customer:"${customerId}" AND status:"paid"`,
          limit: 10,
        }),
      );
    };
  }
}

// Postgres's own time per task, by statement (pg_stat_statements: planning + execution; the
// backend's parse, network and commit costs are not in it).
async function statementTimes(db: BenchStack['db'], tasks: number): Promise<string[]> {
  const { rows } = (await db.raw(
    `select calls, total_plan_time + total_exec_time as ms, wal_bytes, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
       from pg_stat_statements where query not like '%pg_stat_statements%' order by 2 desc limit 15`,
  )) as { rows: Array<{ calls: string; ms: number; wal_bytes: string; query: string }> };
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  return [
    `[postgres] planning + execution ${(total / tasks).toFixed(2)} ms per task (top 15 statements):`,
    ...rows.map(
      (row) =>
        `  ${(row.ms / tasks).toFixed(3).padStart(7)} ms  ${(Number(row.calls) / tasks).toFixed(2).padStart(5)} calls  ${String(Math.round(Number(row.wal_bytes) / tasks)).padStart(6)} WAL B  ${row.query}`,
    ),
  ];
}

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? 'plain';
  const seconds = Number(process.argv[3] ?? 15);
  // pg_stat_statements, reset before the timed run: which statements Postgres spends its time on.
  const stack = await startBenchStack({
    apiProcesses: 0,
    log,
    postgresFlags: [
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'pg_stat_statements.track_planning=on',
    ],
  });
  await stack.db.raw('create extension if not exists pg_stat_statements');
  const profileDir = process.env.BENCH_PROFILE_DIR ?? fs.mkdtempSync('/tmp/api-cpu-profile-');
  const profileFile = path.join(profileDir, 'api.cpuprofile');
  const port = await freePort();
  const out = fs.openSync(path.join(profileDir, 'api.log'), 'a');
  const api = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/profiled-api.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...benchApiEnvironment(stack, port),
      BENCH_PROFILE_FILE: profileFile,
    },
    stdio: ['ignore', out, out],
  });
  const client = new BenchClient([`http://127.0.0.1:${port}`], stack.secretKey);
  try {
    for (let i = 0; ; i++) {
      try {
        await client.call('GET', '/v1/customers', { limit: 1 });
        break;
      } catch (error) {
        if (i > 300) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const task = await scenarioTask(client, scenario);
    await runClosedLoop({ concurrency: 16, seconds: 3, task });
    const cpuBefore = sampleProcess(api.pid ?? 0)?.cpuSeconds ?? 0;
    await stack.db.raw('select pg_stat_statements_reset()');
    api.kill('SIGUSR2');
    const result = await runClosedLoop({ concurrency: 16, seconds, task });
    const cpuMs = ((sampleProcess(api.pid ?? 0)?.cpuSeconds ?? 0) - cpuBefore) * 1000;
    api.kill('SIGUSR1');
    log(
      `[profile] ${scenario}: ${(result.tasks / result.seconds).toFixed(1)} tasks/s, errors ${result.errors}, ` +
        `API CPU ${(cpuMs / result.tasks).toFixed(2)} ms per task (load ${loadAverage()})`,
    );
    for (const line of await statementTimes(stack.db, result.tasks)) log(line);
    for (let i = 0; i < 50 && !fs.existsSync(profileFile); i++)
      await new Promise((resolve) => setTimeout(resolve, 200));
    if (result.firstError) log(`[profile] first error: ${result.firstError}`);
  } finally {
    client.close();
    await new Promise<void>((resolve) => {
      api.once('exit', () => resolve());
      api.kill('SIGTERM');
    });
    await stack.stop();
  }
  log(`[profile] ${profileFile}`);
  for (const line of summarizeProfile(profileFile)) log(line);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
