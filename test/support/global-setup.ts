// Once per test run: a Temporal dev server (the project's own CLI, through @temporalio/testing),
// a Postgres server (embedded unless TEST_DATABASE_URL is set) and one workflow bundle.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { ensureStripeSchemas } from './stripe-schema/cache';
import { dynamicConfigArgs } from '../../scripts/dev-server-args';
import { resolveTemporalCli } from '../../scripts/temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { workflowBundleOptions } from '../../worker/workflow-bundle';

interface TestGlobals {
  env: TestWorkflowEnvironment;
  stopPostgres?: () => Promise<void>;
  tmpDir: string;
}

export default async function globalSetup(): Promise<void> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-test-'));
  // Schemas of every Stripe object from the stripe package's types, generated once per version
  // into .cache/ (about 20 s the first time), before the test files check bodies against them.
  ensureStripeSchemas();
  process.env.TEST_CONFORMANCE_DIR = path.join(tmpDir, 'conformance');
  fs.mkdirSync(process.env.TEST_CONFORMANCE_DIR);
  const cli = await resolveTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      ip: '127.0.0.1',
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      // Temporal suggests continue-as-new after 200 history events here (4,096 by default), so
      // the suite exercises long-lived workflows moving to new runs.
      extraArgs: [
        ...dynamicConfigArgs(),
        '--dynamic-config-value',
        'limit.historyCount.suggestContinueAsNew=200',
      ],
    },
  });
  const globals: TestGlobals = { env, tmpDir };
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, 'postgres') });
    adminUrl = pg.url;
    globals.stopPostgres = pg.stop;
  }
  const bundle = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: new DefaultLogger('WARN'),
  });
  const bundlePath = path.join(tmpDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.TEST_TEMPORAL_ADDRESS = env.address;
  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TEMPORAL_CLI = cli;
  (globalThis as unknown as { __invoicingTest: TestGlobals }).__invoicingTest = globals;
}
