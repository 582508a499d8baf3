import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const globals = (
    globalThis as unknown as {
      __invoicingTest?: { env: TestWorkflowEnvironment; stopPostgres?: () => Promise<void>; tmpDir: string };
    }
  ).__invoicingTest;
  if (!globals) return;
  await globals.env.teardown();
  await globals.stopPostgres?.();
  fs.rmSync(globals.tmpDir, { recursive: true, force: true });
}
