// The workflow bundle shares the pure domain modules between workflow runs (worker/workflow-bundle.ts).
// Sharing is safe only while those modules stay pure: no workflow API, nothing imported from
// outside workflows/domain at run time. These tests hold that line and check the bundle.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import {
  sharedDomainModules,
  workerBundlingOptions,
  workflowBundleOptions,
} from '../../worker/workflow-bundle';

const DOMAIN = path.resolve(__dirname, '../../workflows/domain');

// `import … from '…'` and `export … from '…'`, except type-only ones (erased at compile time).
function runtimeImports(source: string): string[] {
  const statements = source.match(/^(?:import|export)\s[^;]*?from\s+'[^']+'/gm) ?? [];
  return statements
    .filter((statement) => !/^(?:import|export)\s+type\s/.test(statement))
    .map((statement) => /from\s+'([^']+)'$/.exec(statement)![1]);
}

describe('shared workflow modules', () => {
  const modules = sharedDomainModules();

  it('lists the domain modules, nested ones included, and nothing else', () => {
    expect(modules).toEqual(
      expect.arrayContaining([
        path.join(DOMAIN, 'invoice.ts'),
        path.join(DOMAIN, 'schedule.ts'),
        path.join(DOMAIN, 'render', 'invoice.ts'),
      ]),
    );
    for (const file of modules) {
      expect(file.startsWith(DOMAIN + path.sep)).toBe(true);
      expect(file).toMatch(/\.(ts|js)$/);
      expect(file).not.toMatch(/\.d\.ts$/);
    }
  });

  it('each imports at run time only other domain modules (no workflow API, no I/O)', () => {
    const outside: string[] = [];
    for (const file of modules) {
      for (const specifier of runtimeImports(fs.readFileSync(file, 'utf8'))) {
        const target = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : specifier;
        if (!target.startsWith(DOMAIN + path.sep))
          outside.push(`${path.relative(DOMAIN, file)} → ${specifier}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('finds a runtime import of a workflow API (the check above can fail)', () => {
    expect(
      runtimeImports("import { sleep } from '@temporalio/workflow';\nimport type X from 'stripe';"),
    ).toEqual(['@temporalio/workflow']);
  });

  it('a worker bundling the source itself shares the same modules', () => {
    expect(workerBundlingOptions()).toEqual({
      workflowsPath: workflowBundleOptions().workflowsPath,
      bundlerOptions: { preloadModules: modules },
    });
  });

  it('the bundle loads every one of them once, before any workflow', async () => {
    const bundle = await bundleWorkflowCode({
      ...workflowBundleOptions(),
      logger: new DefaultLogger('ERROR'),
    });
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(
      bundle.code,
    );
    expect(preload).not.toBeNull();
    const root = path.resolve(__dirname, '../..');
    for (const file of modules) {
      expect(preload![1]).toContain(`"./${path.relative(root, file)}"`);
    }
  }, 60_000);
});
