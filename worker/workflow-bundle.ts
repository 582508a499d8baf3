// How the workflow code is bundled, wherever a bundle is made: the worker bundling the source at
// start, the tests' prebuilt bundle and the benchmark's.
//
// With the SDK's reusable V8 context, every workflow run evaluates for itself each module of the
// bundle that it loads: a fresh copy of every module-level function and constant, per workflow,
// made at its start or replay and kept as long as the run stays in the worker's cache. Our pure
// domain code (workflows/domain/: no workflow APIs, no state of its own, by the project's rule)
// is loaded once instead, before any workflow exists, and shared by all of them; the SDK
// deep-freezes what is shared, so a workflow cannot change it for another. Measured in
// bench/RESULTS.md (change 28).
import fs from 'node:fs';
import path from 'node:path';

const WORKFLOWS_DIR = path.join(__dirname, '..', 'workflows');
const DOMAIN_DIR = path.join(WORKFLOWS_DIR, 'domain');

// Every module under workflows/domain/, as absolute paths (source or compiled).
export function sharedDomainModules(dir = DOMAIN_DIR): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sharedDomainModules(full);
      return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();
}

export function workflowBundleOptions(): { workflowsPath: string; preloadModules: string[] } {
  return { workflowsPath: require.resolve(WORKFLOWS_DIR), preloadModules: sharedDomainModules() };
}

// The same, as options of a worker that bundles the source itself.
export function workerBundlingOptions(): {
  workflowsPath: string;
  bundlerOptions: { preloadModules: string[] };
} {
  const { workflowsPath, preloadModules } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions: { preloadModules } };
}
