import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const globals = (
    globalThis as unknown as { __clusterTest?: { stopPostgres?: () => Promise<void>; tmpDir: string } }
  ).__clusterTest;
  if (!globals) return;
  await globals.stopPostgres?.();
  fs.rmSync(globals.tmpDir, { recursive: true, force: true });
}
