// Compares a response body with Stripe's own example object of the same resource
// (shared/stripe/fixtures3.json beside the repository): every key the fixture has must be
// present, with the same JSON type, or null on either side. Objects are compared recursively;
// arrays by their first element when both have one.
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The repository may be cloned anywhere, with shared/ beside it.
const FIXTURES_PATH = path.resolve(__dirname, '..', '..', '..', 'shared', 'stripe', 'fixtures3.json');

// Free-form maps: their keys are data, not shape.
const FREE_FORM_KEYS = new Set(['metadata']);

let fixtures: Record<string, unknown> | null = null;

export function fixtureFor(resource: string): unknown {
  fixtures ??= (JSON.parse(readFileSync(FIXTURES_PATH, 'utf8')) as { resources: Record<string, unknown> })
    .resources;
  if (!(resource in fixtures)) throw new Error(`fixtures3.json has no resource '${resource}'`);
  return fixtures[resource];
}

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

function isExpandedObject(value: unknown): boolean {
  return jsonType(value) === 'object' && typeof (value as { id?: unknown }).id === 'string';
}

function compare(expected: unknown, actual: unknown, at: string, problems: string[]): void {
  const want = jsonType(expected);
  const got = jsonType(actual);
  if (got === 'undefined') {
    problems.push(`${at}: missing (fixture has ${want})`);
    return;
  }
  if (want === 'null' || got === 'null') return;
  // An id the caller asked to expand arrives as the object it names.
  if (want === 'string' && isExpandedObject(actual)) return;
  if (want !== got) {
    problems.push(`${at}: fixture has ${want}, body has ${got}`);
    return;
  }
  if (want === 'object' && !FREE_FORM_KEYS.has(at.split('.').pop() ?? '')) {
    const body = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
      compare(value, body[key], at ? `${at}.${key}` : key, problems);
    }
  }
  if (want === 'array') {
    const [first] = expected as unknown[];
    const [mine] = actual as unknown[];
    if (first !== undefined && mine !== undefined) compare(first, mine, `${at}[0]`, problems);
  }
}

// Every difference, as "path: what is wrong"; empty when the body matches the fixture's shape.
export function fixtureShapeMismatches(body: unknown, resource: string): string[] {
  const problems: string[] = [];
  compare(fixtureFor(resource), body, '', problems);
  return problems;
}

export function expectMatchesFixtureShape(body: unknown, resource: string): void {
  expect(fixtureShapeMismatches(body, resource)).toEqual([]);
}
