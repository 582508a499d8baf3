// `npx tsx bench/ab.ts <treeA> <treeB> [plain|reads] [rounds] [seconds]`: the API CPU per task of
// two source trees (e.g. `git archive HEAD` unpacked in /tmp, and this one), side by side on this
// shared machine. One isolated stack (stack.ts, this tree's worker) serves both; each tree's API
// runs as its own process (its bench/profiled-api.ts, or api/server.ts where it has none) and
// the scenario (bench/cpu-profile.ts's, concurrency 16) alternates between them in short
// rounds, so the machine's load, which other jobs change from minute to minute, weighs on both
// alike. Prints each round and the medians: tasks/s and API CPU ms per task (from /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../db/embedded-postgres';
import { scenarioTask } from './cpu-profile';
import { BenchClient } from './http-client';
import { median, runClosedLoop } from './load';
import { loadAverage, sampleProcess } from './machine';
import { benchApiEnvironment, startBenchStack, type BenchStack } from './stack';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function startApi(tree: string, stack: BenchStack): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const own = path.join(tree, 'bench/profiled-api.ts');
  const script = fs.existsSync(own) ? own : path.join(tree, 'api/server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: tree,
    env: {
      ...process.env,
      ...benchApiEnvironment(stack, port),
    },
    stdio: 'ignore',
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function untilListening(client: BenchClient): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.call('GET', '/v1/customers', { limit: 1 });
      return;
    } catch (error) {
      if (attempt > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function main(): Promise<void> {
  const [treeA, treeB] = [process.argv[2], process.argv[3]].map((tree) => path.resolve(tree));
  const scenario = process.argv[4] ?? 'plain';
  const rounds = Number(process.argv[5] ?? 6);
  const seconds = Number(process.argv[6] ?? 5);
  const stack = await startBenchStack({ apiProcesses: 0, log });
  const apis = [await startApi(treeA, stack), await startApi(treeB, stack)];
  const clients = apis.map((api) => new BenchClient([api.url], stack.secretKey));
  try {
    for (const client of clients) await untilListening(client);
    const tasks = [];
    for (const client of clients) tasks.push(await scenarioTask(client, scenario));
    const results: Array<{ rate: number[]; cpu: number[] }> = [
      { rate: [], cpu: [] },
      { rate: [], cpu: [] },
    ];
    for (const task of tasks) await runClosedLoop({ concurrency: 16, seconds: 3, task });
    for (let round = 0; round < rounds; round++) {
      // ABBA order: neither tree always runs first after a pause.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const pid = apis[i].child.pid ?? 0;
        const before = sampleProcess(pid)?.cpuSeconds ?? 0;
        const result = await runClosedLoop({ concurrency: 16, seconds, task: tasks[i] });
        const cpuMs = ((sampleProcess(pid)?.cpuSeconds ?? 0) - before) * 1000;
        results[i].rate.push(result.tasks / result.seconds);
        results[i].cpu.push(cpuMs / result.tasks);
        log(
          `[ab] round ${round} ${i === 0 ? 'A' : 'B'}: ${(result.tasks / result.seconds).toFixed(1)} tasks/s, ` +
            `API ${(cpuMs / result.tasks).toFixed(2)} ms per task, errors ${result.errors}, load ${loadAverage()}`,
        );
      }
    }
    for (const [i, tree] of [treeA, treeB].entries()) {
      log(
        `[ab] ${i === 0 ? 'A' : 'B'} ${tree}: median ${median(results[i].rate).toFixed(1)} ${scenario} tasks/s, ` +
          `API ${median(results[i].cpu).toFixed(2)} ms per task`,
      );
    }
  } finally {
    for (const client of clients) client.close();
    for (const api of apis) api.child.kill('SIGTERM');
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
