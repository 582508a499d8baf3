// A model of Stripe's search for property tests: random records, random queries as data, the
// query text a caller would write for them, and a brute-force filter written straight from
// Stripe's "Search query language" page, sharing no code with api/search:
//   token    ':' exact, case-insensitive          numeric ':' '>' '<' '>=' '<='
//   string   ':' the query's words appear in the value, consecutive and in order
//            (case-insensitive), '~' substring (case-insensitive, at least 3 characters)
//   field:null matches an empty field; metadata["k"]:null a record without key k.
import fc from 'fast-check';

export interface Model {
  id: string;
  deleted: boolean;
  metadata: Record<string, string>;
  [field: string]: unknown;
}

type Kind = 'numeric' | 'token' | 'string' | 'metadata';
interface FieldModel {
  kind: Kind;
  values: Array<string | number>; // for ':' (and comparisons)
  substrings?: string[]; // for '~'
}

type Value =
  | { kind: 'string'; text: string; quote: '"' | "'" }
  | { kind: 'number'; n: number; quoted: boolean }
  | { kind: 'null'; upper: boolean };
interface Clause {
  negated: boolean;
  field: string;
  key: string | null;
  operator: string;
  value: Value;
}
export interface ModelQuery {
  combinator: 'AND' | 'OR';
  joiner: string;
  clauses: Clause[];
}

const CREATED = [1_700_000_000, 1_700_000_010, 1_700_000_020, 1_700_000_030];
const TOTALS = [-500, 0, 50, 999, 1000, 1001, 25000];
const CUSTOMER_IDS = ['cus_AbC123', 'cus_abc123', 'cus_Zz9', 'cus_other_1'];
const METADATA_KEYS = ['plan', 'Plan', 'order id'];
const METADATA_VALUES = ['Gold', 'gold', 'silver', 'A-1', 'a-1', 'B 2'];
const nearby = (values: number[]) => values.flatMap((v) => [v - 1, v, v + 1]);

export const INVOICE_FIELDS: Record<string, FieldModel> = {
  created: { kind: 'numeric', values: nearby(CREATED) },
  total: { kind: 'numeric', values: nearby(TOTALS) },
  currency: { kind: 'token', values: ['usd', 'USD', 'eur', 'gbp', 'jpy', 'us'] },
  customer: { kind: 'token', values: [...CUSTOMER_IDS, 'CUS_ABC123', 'cus_zz'] },
  last_finalization_error_code: {
    kind: 'token',
    values: ['customer_tax_location_invalid', 'TAX_ID_INVALID', 'tax'],
  },
  last_finalization_error_type: { kind: 'token', values: ['invalid_request_error', 'API_ERROR', 'api'] },
  number: {
    kind: 'string',
    values: [
      'acme',
      'ACME-EU',
      'eu',
      'zeta 9',
      'Zeta-9',
      'acme_x',
      '0007',
      'ACME 0003',
      'Ünï',
      '9 0001',
      1,
      7,
    ],
    substrings: ['cme', 'ME-', '_x-', 'eta 9', '000', 'Ünï-0', '-00'],
  },
  receipt_number: {
    kind: 'string',
    values: ['1234', '5678 1234', 'rcpt 77', '77 b', 'RCPT-77', 1234],
    substrings: ['34-5', 'cpt', '7-b', '77'.repeat(2)],
  },
  status: {
    kind: 'string',
    values: ['open', 'OPEN', 'paid', 'void draft', 'un collectible', 'uncollectible', 'Draft!'],
    substrings: ['ope', 'aid', 'COLLECT', 'raf'],
  },
  subscription: {
    kind: 'string',
    values: ['sub_abc1', 'sub_xyz', 'xyz', 'sub', 'SUB_XYZ 2'],
    substrings: ['xyz', 'z_2', 'AbC'],
  },
  metadata: { kind: 'metadata', values: METADATA_VALUES },
};

export const CUSTOMER_FIELDS: Record<string, FieldModel> = {
  created: { kind: 'numeric', values: nearby(CREATED) },
  email: {
    kind: 'string',
    values: [
      'amy@rocketrides.io',
      'amy',
      'rocketrides io',
      'example.com',
      'smith@example',
      'AMY',
      'x_y',
      'z.io',
    ],
    substrings: ['rocket', '@EXAMPLE', 'y@z', '.io'],
  },
  name: {
    kind: 'string',
    values: ['amy', 'Amy Smith', 'smith amy', 'Smith, Amy', "o'brien", 'brien', 'José', 'Núñez', 'bob o'],
    substrings: ['amy', 'MIT', "'Br", 'osé'],
  },
  phone: {
    kind: 'string',
    values: ['555', '+1 555 0100', '20 7946', '0100', '5550100', 555],
    substrings: ['555', '-01', '946 0'],
  },
  metadata: { kind: 'metadata', values: METADATA_VALUES },
};

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { freq: 3 });
const metadataArbitrary = fc.dictionary(
  fc.constantFrom(...METADATA_KEYS),
  fc.constantFrom(...METADATA_VALUES),
  {
    maxKeys: 3,
  },
);
const deletedArbitrary = fc.nat(7).map((n) => n === 0);

// Numbers get a unique suffix when inserted (numbers are unique per account).
export const invoiceArbitrary = fc.record({
  customer: fc.constantFrom(...CUSTOMER_IDS),
  status: fc.constantFrom('draft', 'open', 'paid', 'uncollectible', 'void'),
  currency: fc.constantFrom('usd', 'eur', 'gbp'),
  total: fc.constantFrom(...TOTALS),
  created: fc.constantFrom(...CREATED),
  number: maybe(fc.constantFrom('ACME', 'ACME-EU', 'Zeta 9', 'acme_x', 'Ünï')),
  receipt_number: maybe(fc.constantFrom('1234-5678', 'RCPT 77', 'rcpt-77-b')),
  subscription: maybe(fc.constantFrom('sub_AbC1', 'sub_xyz', 'sub_xyz_2')),
  last_finalization_error_code: maybe(fc.constantFrom('customer_tax_location_invalid', 'Tax_ID_Invalid')),
  last_finalization_error_type: maybe(fc.constantFrom('invalid_request_error', 'api_error')),
  metadata: metadataArbitrary,
  deleted: deletedArbitrary,
});

export const customerArbitrary = fc.record({
  created: fc.constantFrom(...CREATED),
  email: maybe(fc.constantFrom('amy@rocketrides.io', 'Amy.Smith@example.com', 'bob@example.com', 'x_y@z.io')),
  name: maybe(fc.constantFrom('Amy Smith', 'amy', 'Smith, Amy', "Bob O'Brien", 'José Núñez')),
  phone: maybe(fc.constantFrom('+1 555 0100', '+44 20 7946 0958', '555-0100')),
  metadata: metadataArbitrary,
  deleted: deletedArbitrary,
});

// Random text with the characters that need care: quotes, backslashes, LIKE wildcards, spaces.
const trickyText = fc.string({ unit: fc.constantFrom(...`aA0 -_'"\\%.é`), maxLength: 8 });
const quote = fc.constantFrom<'"' | "'">('"', "'");
const stringValue = (texts: fc.Arbitrary<string>) =>
  fc.record({ kind: fc.constant('string' as const), text: texts, quote });
const nullValue = fc.record({ kind: fc.constant('null' as const), upper: fc.boolean() });

function clauseArbitrary(fields: Record<string, FieldModel>): fc.Arbitrary<Clause> {
  return fc.constantFrom(...Object.keys(fields)).chain((field) => {
    const model = fields[field];
    const pool = fc.constantFrom(...model.values);
    const asValue = (v: string | number, quoted: boolean, q: '"' | "'"): Value =>
      typeof v === 'number' && !quoted
        ? { kind: 'number', n: v, quoted }
        : { kind: 'string', text: String(v), quote: q };
    const exact = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.tuple(pool, fc.boolean(), quote).map(([v, quoted, q]) => asValue(v, quoted, q)),
      },
      { weight: 1, arbitrary: stringValue(trickyText) },
      { weight: 1, arbitrary: nullValue },
    );
    let operatorAndValue: fc.Arbitrary<[string, Value]>;
    if (model.kind === 'numeric') {
      operatorAndValue = fc.oneof(
        fc.tuple(
          fc.constantFrom(':', '>', '<', '>=', '<='),
          fc.tuple(pool, fc.boolean(), quote).map(([v, quoted, q]) => asValue(v, quoted, q)),
        ),
        fc.tuple(fc.constant(':'), nullValue),
      );
    } else if (model.kind === 'string') {
      const substring = fc.oneof(
        fc.constantFrom(...model.substrings!),
        trickyText.filter((t) => t.length >= 3),
      );
      operatorAndValue = fc.oneof(
        fc.tuple(fc.constant(':'), exact),
        fc.tuple(fc.constant('~'), stringValue(substring)),
      );
    } else {
      operatorAndValue = fc.tuple(fc.constant(':'), exact);
    }
    const key = model.kind === 'metadata' ? fc.constantFrom(...METADATA_KEYS, 'missing') : fc.constant(null);
    return fc
      .record({ negated: fc.boolean(), field: fc.constant(field), key, operatorAndValue })
      .map(({ negated, key: k, operatorAndValue: [operator, value] }): Clause => ({
        negated,
        field,
        key: k,
        operator,
        value,
      }));
  });
}

export function queryArbitrary(fields: Record<string, FieldModel>): fc.Arbitrary<ModelQuery> {
  return fc.oneof(
    fc.record({
      combinator: fc.constant('AND' as const),
      joiner: fc.constantFrom(' ', ' AND ', '  and '),
      clauses: fc.array(clauseArbitrary(fields), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      combinator: fc.constant('OR' as const),
      joiner: fc.constantFrom(' OR ', ' or '),
      clauses: fc.array(clauseArbitrary(fields), { minLength: 1, maxLength: 4 }),
    }),
  );
}

function quoted(text: string, q: '"' | "'"): string {
  return `${q}${text.replace(/\\/g, '\\\\').split(q).join(`\\${q}`)}${q}`;
}

export function renderQuery(query: ModelQuery): string {
  const value = (v: Value) =>
    v.kind === 'null'
      ? v.upper
        ? 'NULL'
        : 'null'
      : v.kind === 'number'
        ? String(v.n)
        : quoted(v.text, v.quote);
  return query.clauses
    .map(
      (c) =>
        `${c.negated ? '-' : ''}${c.field}${c.key === null ? '' : `[${quoted(c.key, '"')}]`}${c.operator}${value(c.value)}`,
    )
    .join(query.joiner);
}

// Words: runs of anything but ASCII whitespace and ASCII punctuation other than "_".
const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[\t\n\v\f\r !-/:-@[-^`{-~]+/)
    .filter(Boolean);

function containsPhrase(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((word, i) => haystack[start + i] === word)) return true;
  }
  return false;
}

function clauseMatches(clause: Clause, row: Model, model: FieldModel): boolean {
  const { value } = clause;
  if (model.kind === 'metadata') {
    const stored = Object.prototype.hasOwnProperty.call(row.metadata, clause.key!)
      ? row.metadata[clause.key!]
      : null;
    if (value.kind === 'null') return stored === null;
    return (
      stored !== null &&
      stored.toLowerCase() === String(value.kind === 'number' ? value.n : value.text).toLowerCase()
    );
  }
  const stored = row[clause.field] as string | number | null;
  if (value.kind === 'null') return stored === null;
  const text = value.kind === 'number' ? String(value.n) : value.text;
  if (stored === null) return false;
  if (model.kind === 'numeric') {
    const n = Number(text);
    const s = stored as number;
    return { ':': s === n, '>': s > n, '<': s < n, '>=': s >= n, '<=': s <= n }[clause.operator]!;
  }
  if (model.kind === 'token') return String(stored).toLowerCase() === text.toLowerCase();
  if (clause.operator === '~') return String(stored).toLowerCase().includes(text.toLowerCase());
  return containsPhrase(words(String(stored)), words(text));
}

export function matches(query: ModelQuery, row: Model, fields: Record<string, FieldModel>): boolean {
  const results = query.clauses.map((c) => clauseMatches(c, row, fields[c.field]) !== c.negated);
  return query.combinator === 'AND' ? results.every(Boolean) : results.some(Boolean);
}
