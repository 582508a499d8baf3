// How many bodies the schema check saw, by object: one file per test file in the run's folder
// (TEST_CONFORMANCE_DIR), added up by global teardown. Kept apart from the check itself so the
// teardown loads nothing heavy.
import fs from 'node:fs';
import path from 'node:path';

export interface ConformanceCounts {
  bodies: number;
  objects: Record<string, number>;
}

export function writeConformanceCounts(counts: ConformanceCounts): void {
  const dir = process.env.TEST_CONFORMANCE_DIR;
  if (!dir || counts.bodies === 0) return;
  const file = path.join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(counts));
}

export function summarizeConformance(dir: string): ConformanceCounts {
  const total: ConformanceCounts = { bodies: 0, objects: {} };
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const counts = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as ConformanceCounts;
    total.bodies += counts.bodies;
    for (const [object, n] of Object.entries(counts.objects)) {
      total.objects[object] = (total.objects[object] ?? 0) + n;
    }
  }
  return total;
}
