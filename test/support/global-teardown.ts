import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import path from 'node:path';
import { summarizeConformance } from './conformance-counts';

export default async function globalTeardown(): Promise<void> {
  const globals = (
    globalThis as unknown as {
      __invoicingTest?: { env: TestWorkflowEnvironment; stopPostgres?: () => Promise<void>; tmpDir: string };
    }
  ).__invoicingTest;
  if (!globals) return;
  const { bodies, objects } = summarizeConformance(path.join(globals.tmpDir, 'conformance'));
  const byObject = Object.entries(objects)
    .sort(([, a], [, b]) => b - a)
    .map(([object, n]) => `${object} ${n}`)
    .join(', ');
  const checked = Object.values(objects).reduce((sum, n) => sum + n, 0);
  console.log(
    `\n[conformance] ${bodies} bodies checked against the stripe package's types, ` +
      `${checked} objects counting list items one by one: ${byObject}`,
  );
  await globals.env.teardown();
  await globals.stopPostgres?.();
  fs.rmSync(globals.tmpDir, { recursive: true, force: true });
}
