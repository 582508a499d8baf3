// JSON Schemas of every Stripe response object, generated from the `stripe` package's own type
// declarations (the API version we serve) with typescript-json-schema, never written by hand,
// and compiled once by ajv into standalone validators. cache.ts runs this only when its files
// for the installed versions are missing.
//
// Strict: every non-optional property is required, `null` only where the type allows it, no
// property the type lacks (additionalProperties: false). Open enums (`'a' | 'b' | OtherString`)
// accept any string; the client's `Decimal` is a decimal string on the wire.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import * as TJS from 'typescript-json-schema';
import { CACHE_DIR, packageVersion, root, type StripeSchemaFiles, type StripeSchemas } from './cache';

const COMPILER_OPTIONS = {
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  module: 'node16',
  moduleResolution: 'node16',
  target: 'ES2022',
  types: [],
};

interface Root {
  key: string; // a unique property name in the Roots interface
  typeText: string; // `Stripe.TestHelpers.TestClock`
  object?: string;
  eventType?: string;
}

// Every interface the package exports (namespaces included) whose `object` is a string literal.
function discoverRoots(workDir: string): Root[] {
  const probe = path.join(workDir, 'probe.ts');
  fs.writeFileSync(probe, "import type Stripe from 'stripe';\nexport type Probe = Stripe;\n");
  const program = TJS.getProgramFromFiles([probe], COMPILER_OPTIONS, root);
  const tc = program.getTypeChecker();
  const importDecl = program.getSourceFile(probe)!.statements[0] as TJS.ts.ImportDeclaration;
  const moduleSymbol = tc.getSymbolAtLocation(importDecl.moduleSpecifier)!;
  const roots: Root[] = [];
  const { SymbolFlags } = TJS.ts;
  const literal = (type: TJS.ts.Type, name: string): string | undefined => {
    const property = type.getProperty(name);
    const value = property && tc.getTypeOfSymbol(property);
    return value?.isStringLiteral() ? value.value : undefined;
  };
  const visit = (symbols: TJS.ts.Symbol[], prefix: string[], depth: number) => {
    for (const exported of symbols) {
      const symbol = exported.flags & SymbolFlags.Alias ? tc.getAliasedSymbol(exported) : exported;
      const names = [...prefix, exported.name];
      if (symbol.flags & (SymbolFlags.Interface | SymbolFlags.TypeAlias)) {
        const type = tc.getDeclaredTypeOfSymbol(symbol);
        const generic = symbol.declarations?.some(
          (d) => (d as TJS.ts.InterfaceDeclaration).typeParameters?.length,
        );
        // Request parameter types (`AccountUpdateParams.Card`) are not response objects.
        const params = names.some((name) => name.endsWith('Params'));
        if (!type.isUnion() && !generic && !params) {
          const object = literal(type, 'object');
          if (object) {
            const eventType = object === 'event' ? literal(type, 'type') : undefined;
            roots.push({ key: names.join('_'), typeText: `Stripe.${names.join('.')}`, object, eventType });
          }
        }
      }
      if (depth < 1 && symbol.flags & SymbolFlags.Namespace && /^[A-Z]/.test(exported.name)) {
        visit(tc.getExportsOfModule(symbol), names, depth + 1);
      }
    }
  };
  visit(tc.getExportsOfModule(moduleSymbol), [], 0);
  return roots;
}

// `deleted?: void` (a live object never carries `deleted`) comes out as an empty anyOf: a
// property that must not be present is the schema `false`.
function neverForVoid(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(neverForVoid);
  if (typeof node !== 'object' || node === null) return node;
  const { anyOf } = node as { anyOf?: unknown[] };
  if (Array.isArray(anyOf) && anyOf.length === 0) return false;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, neverForVoid(value)]));
}

export function generateStripeSchemas(): StripeSchemas {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(CACHE_DIR, 'work-'));
  try {
    const roots = discoverRoots(workDir);
    // Envelopes whose items are checked one by one by their own `object`, and error bodies.
    const extra: Root[] = [
      { key: 'ApiList', typeText: 'Stripe.ApiList<unknown>' },
      { key: 'ApiSearchResult', typeText: 'Stripe.ApiSearchResult<unknown>' },
      { key: 'StripeRawError', typeText: 'Stripe.StripeRawError' },
    ];
    const all = [...roots.filter((r) => !r.eventType || r.key.endsWith('Event')), ...extra];
    const entry = path.join(workDir, 'roots.ts');
    fs.writeFileSync(
      entry,
      "import type Stripe from 'stripe';\nexport interface Roots {\n" +
        all.map((r) => `  ${r.key}: ${r.typeText};\n`).join('') +
        '}\n',
    );
    const program = TJS.getProgramFromFiles([entry], COMPILER_OPTIONS, root);
    const generator = TJS.buildGenerator(
      program,
      { ref: true, required: true, strictNullChecks: true, noExtraProps: true, titles: false },
      [entry],
    );
    if (!generator) throw new Error('typescript-json-schema could not build a generator');
    // An open enum's `OtherString` (string & Record<never, never>) is any string on the wire.
    generator.setSchemaOverride('OtherString', { type: 'string' });
    // The client's Decimal is a decimal string on the wire.
    generator.setSchemaOverride('Decimal', { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' });
    const schema = neverForVoid(generator.getSchemaForSymbol('Roots')) as TJS.Definition;
    const objects: Record<string, string[]> = {};
    const events: Record<string, string> = {};
    for (const r of roots) {
      if (r.eventType) {
        if (r.key.endsWith('Event')) events[r.eventType] = r.key;
      } else if (r.object && r.object !== 'event') (objects[r.object] ??= []).push(r.key);
    }
    return { stripeVersion: packageVersion('stripe'), objects, events, schema };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

// Ajv compiles the whole graph once (about 10 s: an invoice reaches customers, accounts, ...);
// its standalone code is cached beside the schemas so each test file only loads it.
function compileValidators(schemas: StripeSchemas): string {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  ajv.addSchema({ ...schemas.schema, $id: 'stripe' });
  const refs = Object.fromEntries(
    Object.keys(schemas.schema.properties ?? {}).map((key) => [key, `stripe#/properties/${key}`]),
  );
  for (const ref of Object.values(refs)) ajv.getSchema(ref);
  return standaloneCode(ajv, refs);
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

// Writes both files, each atomically, so two processes that race both leave whole files.
export function buildStripeSchemas(files: StripeSchemaFiles): void {
  const schemas = generateStripeSchemas();
  const text = JSON.stringify(schemas, (key, value: unknown) =>
    // Documentation strings only: a property named `description` is a schema object.
    key === 'description' && typeof value === 'string' ? undefined : value,
  );
  writeAtomically(files.validators, compileValidators(JSON.parse(text) as StripeSchemas));
  writeAtomically(files.schemas, text);
}
