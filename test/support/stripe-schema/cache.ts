// Where the generated Stripe schemas live: .cache/stripe-schemas/ (git-ignored), one pair of
// files per version of the stripe package, typescript-json-schema, typescript, ajv and the
// generator itself. Missing files are built on first use (build.ts, about 20 s), so any clone
// runs the tests with nothing prepared by hand; the test run's global setup does it first.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Definition } from 'typescript-json-schema';
import type * as Build from './build';

export const root = path.resolve(__dirname, '..', '..', '..');
export const CACHE_DIR = path.join(root, '.cache', 'stripe-schemas');

export interface StripeSchemas {
  stripeVersion: string;
  // Root names (properties of the top schema) by the `object` value they carry.
  objects: Record<string, string[]>;
  // Root name of the typed event interface by event type (`invoice.finalized`).
  events: Record<string, string>;
  schema: Definition;
}

export interface StripeSchemaFiles {
  schemas: string; // StripeSchemas as JSON
  validators: string; // a CommonJS module exporting one ajv validate function per root
}

export function packageVersion(name: string): string {
  const file = path.join(root, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export function stripeSchemaFiles(): StripeSchemaFiles {
  const key = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(__dirname, 'build.ts')))
    .update(['typescript-json-schema', 'typescript', 'ajv'].map(packageVersion).join(' '))
    .digest('hex')
    .slice(0, 12);
  const base = path.join(CACHE_DIR, `stripe-${packageVersion('stripe')}-${key}`);
  return { schemas: `${base}.json`, validators: `${base}.validators.js` };
}

export function ensureStripeSchemas(): StripeSchemaFiles {
  const files = stripeSchemaFiles();
  if (fs.existsSync(files.schemas) && fs.existsSync(files.validators)) return files;
  // Loaded only when needed: typescript and the generator are heavy for every test file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./build') as typeof Build).buildStripeSchemas(files);
  return files;
}
