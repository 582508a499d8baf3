// Checks one JSON body against the schema of its `object`, as the stripe package declares it:
// lists and search results item by item, events by their `type`'s typed interface, deleted
// objects by their Deleted* type, error bodies by StripeRawError. Differences listed in
// allowances.ts are dropped; everything else is a problem, one line each.
import fs from 'node:fs';
import { ALLOWANCES, type Allowance } from './allowances';
import { ensureStripeSchemas, type StripeSchemas } from './cache';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

export interface BodyProblem {
  object: string; // the `object` of the body or item with the difference
  path: string; // JSON pointer of the property in question, from that object
  keyword: string; // ajv's keyword (required, additionalProperties, type, ...) or 'object'
  message: string;
}

let loaded: {
  index: Pick<StripeSchemas, 'objects' | 'events'>;
  validators: Record<string, Validate>;
} | null = null;

function load() {
  if (loaded) return loaded;
  const files = ensureStripeSchemas();
  const { objects, events } = JSON.parse(fs.readFileSync(files.schemas, 'utf8')) as StripeSchemas;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- generated CommonJS module
  const validators = require(files.validators) as Record<string, Validate>;
  loaded = { index: { objects, events }, validators };
  return loaded;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemsFrom(validate: Validate, object: string, prefix: string): BodyProblem[] {
  const seen = new Set<string>();
  const problems: BodyProblem[] = [];
  for (const error of validate.errors ?? []) {
    // anyOf/oneOf failures repeat what their branches said in detail.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const child = error.params.missingProperty ?? error.params.additionalProperty;
    const path = `${prefix}${error.instancePath}${child === undefined ? '' : `/${String(child)}`}`;
    const detail =
      error.keyword === 'type' || error.keyword === 'enum' ? ` ${JSON.stringify(error.params)}` : '';
    const message = `${error.message ?? error.keyword}${detail}`;
    const key = `${path} ${error.keyword} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ object, path, keyword: error.keyword, message });
  }
  return problems;
}

function run(root: string, body: unknown, object: string, prefix: string): BodyProblem[] {
  const validate = load().validators[root];
  if (!validate) return [{ object, path: prefix, keyword: 'object', message: `no schema named ${root}` }];
  return validate(body) ? [] : problemsFrom(validate, object, prefix);
}

// The Stripe type a body's `object` names: Deleted* for `deleted: true`, the live type otherwise.
function rootFor(body: Record<string, unknown>, object: string): string | undefined {
  const { objects, events } = load().index;
  if (object === 'event') return typeof body.type === 'string' ? events[body.type] : undefined;
  const roots = objects[object] ?? [];
  const deleted = body.deleted === true;
  // Namespaced roots are joined with `_`: TestHelpers_DeletedTestClock.
  return roots.find((root) => /(^|_)Deleted/.test(root) === deleted);
}

function check(body: unknown, prefix: string, counted: string[]): BodyProblem[] {
  if (!isRecord(body)) return [{ object: '?', path: prefix, keyword: 'type', message: 'not a JSON object' }];
  if (body.object === undefined && 'error' in body) {
    counted.push('error');
    const extra = Object.keys(body).filter((key) => key !== 'error');
    return [
      ...extra.map((key) => ({
        object: 'error',
        path: `${prefix}/${key}`,
        keyword: 'additionalProperties',
        message: 'must NOT have additional properties',
      })),
      ...run('StripeRawError', body.error, 'error', `${prefix}/error`),
    ];
  }
  const object = typeof body.object === 'string' ? body.object : '?';
  counted.push(object);
  if (object === 'list' || object === 'search_result') {
    const envelope = run(object === 'list' ? 'ApiList' : 'ApiSearchResult', body, object, prefix);
    const items = Array.isArray(body.data) ? body.data : [];
    return [...envelope, ...items.flatMap((item, index) => check(item, `${prefix}/data/${index}`, counted))];
  }
  const root = rootFor(body, object);
  if (!root) {
    const what = object === 'event' ? `event type ${String(body.type)}` : `object ${object}`;
    return [{ object, path: prefix, keyword: 'object', message: `the stripe package declares no ${what}` }];
  }
  return run(root, body, object, prefix);
}

function allowed(problem: BodyProblem, allowance: Allowance): boolean {
  if (allowance.object !== problem.object) return false;
  if (allowance.keyword && allowance.keyword !== problem.keyword) return false;
  // Paths are matched from the object with the difference, wherever it sits in the body.
  const path = problem.path.replace(/^(\/data\/\d+)+/, '');
  return typeof allowance.path === 'string' ? allowance.path === path : allowance.path.test(path);
}

export interface BodyCheck {
  objects: string[]; // every object checked: the body's and its list items'
  problems: BodyProblem[]; // what no allowance explains
}

export function checkStripeBody(body: unknown): BodyCheck {
  const objects: string[] = [];
  const problems = check(body, '', objects).filter((p) => !ALLOWANCES.some((a) => allowed(p, a)));
  return { objects, problems };
}

export function formatProblem(problem: BodyProblem): string {
  return `${problem.object} ${problem.path || '/'}: ${problem.message}`;
}
