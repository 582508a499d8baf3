// The production topology cannot run here (no Docker engine), but its file must stay valid.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { searchAttributeArgs } from '../../scripts/dev-server-args';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/temporal-server-build';

const root = path.resolve(__dirname, '..', '..');

describe('docker-compose.yml', () => {
  it('validates with docker-compose config', () => {
    // Throws (failing the test) when the file is invalid or docker-compose is missing.
    const output = execFileSync(
      'docker-compose',
      ['-f', path.join(root, 'docker-compose.yml'), 'config', '-q'],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(output).toBe('');
  });

  it('runs the api and the worker as separate services from one image', () => {
    const config = execFileSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(config).toMatch(/\n {2}api:\n/);
    expect(config).toMatch(/\n {2}worker:\n/);
    expect(config).toContain('temporalio/ui');
  });

  it('runs the Temporal server that the cluster tests run, with the same configuration', () => {
    const config = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const version = TEMPORAL_SERVER_VERSION.slice(1);
    expect(config).toContain(`image: temporalio/server:${version}`);
    expect(config.match(/temporalio\/admin-tools:[\d.]+/g)).toEqual([
      `temporalio/admin-tools:${version}`,
      `temporalio/admin-tools:${version}`,
    ]);
    expect(config).toContain('./scripts/temporal:/etc/temporal/invoicing:ro');
    expect(config).toContain('--config invoicing --env invoicing');
    expect(config).not.toContain('auto-setup');
  });

  it('checks the api and the worker by their /readyz, serves their metrics, and refuses webhooks to non-public addresses', () => {
    const config = execFileSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), 'config'], {
      cwd: root,
      encoding: 'utf8',
    });
    const service = (name: string) =>
      config.split(/\n {2}(?=\S)/).find((part) => part.startsWith(`${name}:`)) ?? '';
    expect(service('api')).toMatch(/healthcheck:[\s\S]*127\.0\.0\.1:4242\/readyz/);
    expect(service('worker')).toMatch(/healthcheck:[\s\S]*127\.0\.0\.1:4243\/readyz/);
    expect(service('worker')).toMatch(/WORKER_HEALTH_PORT: '4243'/);
    for (const name of ['api', 'worker']) {
      expect(service(name)).toMatch(/WEBHOOK_URL_POLICY: strict/);
      expect(service(name)).toMatch(/METRICS_PORT: '9091'/);
    }
    expect(service('worker')).toMatch(/TEMPORAL_METRICS_ADDRESS: 0\.0\.0\.0:9464/);
  });

  it('registers the same search attributes in production as the dev server', () => {
    const script = fs.readFileSync(path.join(root, 'scripts/docker/register-search-attributes.sh'), 'utf8');
    const devArgs = searchAttributeArgs().filter((arg) => arg !== '--search-attribute');
    expect(devArgs).toHaveLength(ALL_SEARCH_ATTRIBUTES.length);
    for (const pair of devArgs) expect(script).toContain(pair);
  });
});
