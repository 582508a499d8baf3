// From a parsed query to one parameterised SQL condition, checked against a resource's field
// table. Column names and SQL text come only from the tables below; every value the caller wrote
// travels as a binding (`?`), never as SQL text.
//
// Field types and their operators, from Stripe's "Search query language" page
// (https://docs.stripe.com/search#search-query-language):
//   token    `:` exact match, case-insensitive                 (currency, customer, metadata)
//   string   `:` and `~` substring (case-insensitive; `~` needs at least 3 characters)
//   numeric  `:` and `>`, `<`, `>=`, `<=`                        (created, total)
// `field:null` matches records where the field is empty; `-metadata["k"]:null` those that have k.
// "An exact match on a string type returns any record where that record contains all of the
// words from the query in the same order": `name:"one two"` matches "One two three".
import { type Clause, type Query, type Value } from './ast';
import { queryError as fail, show } from './lexer';

export type FieldType = 'token' | 'string' | 'numeric';

export interface FieldSpec {
  type: FieldType;
  column: string; // an SQL expression of ours, never user text
  nullable?: boolean;
  // The column only ever holds one lowercase word (status, currency): `:` becomes a plain
  // equality, so the (account_id, column, seq) index serves it.
  lowercaseWord?: boolean;
}

export interface SearchResource {
  name: string;
  fields: Record<string, FieldSpec>;
  metadataColumn: string;
}

export const INVOICE_SEARCH: SearchResource = {
  name: 'invoices',
  metadataColumn: 'metadata',
  fields: {
    created: { type: 'numeric', column: 'created' },
    currency: { type: 'token', column: 'currency', lowercaseWord: true },
    customer: { type: 'token', column: 'customer_id' },
    last_finalization_error_code: { type: 'token', column: 'last_finalization_error_code', nullable: true },
    last_finalization_error_type: { type: 'token', column: 'last_finalization_error_type', nullable: true },
    number: { type: 'string', column: 'number', nullable: true },
    receipt_number: { type: 'string', column: 'receipt_number', nullable: true },
    status: { type: 'string', column: 'status', lowercaseWord: true },
    subscription: { type: 'string', column: 'subscription_id', nullable: true },
    total: { type: 'numeric', column: 'total' },
  },
};

export const CUSTOMER_SEARCH: SearchResource = {
  name: 'customers',
  metadataColumn: 'metadata',
  fields: {
    created: { type: 'numeric', column: 'created' },
    email: { type: 'string', column: 'email', nullable: true },
    name: { type: 'string', column: 'name', nullable: true },
    phone: { type: 'string', column: "(attributes->>'phone')", nullable: true },
  },
};

// Words are separated by ASCII whitespace and ASCII punctuation other than "_"; everything else
// (letters, digits, "_", any non-ASCII character) is part of a word. Written with \x escapes
// that mean the same in JavaScript and in Postgres regular expressions, and since no word
// character is a regex metacharacter, words go into the pattern as they are.
export const SEPARATOR = '[\\x09-\\x0d\\x20-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7e]';
const SEPARATORS = new RegExp(`${SEPARATOR}+`);

export function wordsOf(text: string): string[] {
  return text.split(SEPARATORS).filter((word) => word.length > 0);
}

// Ours, not Stripe's: bounds the size of the pattern one value can make Postgres compile.
export const MAX_WORDS = 32;

export interface SqlCondition {
  sql: string;
  bindings: Array<string | number>;
}

export function compileQuery(query: Query, resource: SearchResource): SqlCondition {
  const parts = query.clauses.map((clause) => compileClause(clause, resource));
  const joiner = query.combinator === 'AND' ? ' and ' : ' or ';
  return {
    sql: `(${parts.map((part) => part.sql).join(joiner)})`,
    bindings: parts.flatMap((part) => part.bindings),
  };
}

// Every predicate is true or false, never NULL, so `-clause` (SQL NOT) keeps records whose field
// is empty, as "records that don't match the clause" should.
function compileClause(clause: Clause, resource: SearchResource): SqlCondition {
  const condition =
    clause.field.name === 'metadata' ? metadataCondition(clause, resource) : fieldCondition(clause, resource);
  return clause.negated ? { sql: `not (${condition.sql})`, bindings: condition.bindings } : condition;
}

function fieldCondition(clause: Clause, resource: SearchResource): SqlCondition {
  const { field, operator, value } = clause;
  const spec = Object.prototype.hasOwnProperty.call(resource.fields, field.name)
    ? resource.fields[field.name]
    : undefined;
  if (!spec) {
    const known = [...Object.keys(resource.fields), 'metadata["key"]'].sort().join(', ');
    throw fail(
      `unknown field ${show(field.name)} for ${resource.name}; the fields are ${known}`,
      field.position,
    );
  }
  if (field.key !== null) throw fail(`the field ${field.name} takes no ["key"]`, field.position);
  const allowed =
    spec.type === 'numeric' ? [':', '>', '<', '>=', '<='] : spec.type === 'string' ? [':', '~'] : [':'];
  if (!allowed.includes(operator)) {
    throw fail(
      `the ${spec.type} field ${field.name} does not support ${show(operator)}; use ${allowed.length === 1 ? '":"' : `one of ${allowed.join(' ')}`}`,
      field.position + field.name.length,
    );
  }
  const column = spec.column;
  if (value.kind === 'null') return nullCondition(clause, spec);
  if (spec.type === 'numeric') {
    const sqlOperator = operator === ':' ? '=' : operator;
    return { sql: `${column} ${sqlOperator} ?`, bindings: [integerOf(value, field.name)] };
  }
  const text = value.text;
  const guard = spec.nullable ? `${column} is not null and ` : '';
  if (spec.type === 'token') {
    if (spec.lowercaseWord) return { sql: `${column} = ?`, bindings: [text.toLowerCase()] };
    return { sql: `${guard}lower(${column}) = lower(?)`, bindings: [text] };
  }
  if (operator === '~') {
    if ([...text].length < 3)
      throw fail('a substring search (~) needs at least 3 characters', value.position);
    return { sql: `${guard}${column} ilike ?`, bindings: [`%${escapeLike(text)}%`] };
  }
  const words = wordsOf(text);
  if (words.length === 0) return { sql: 'false', bindings: [] };
  if (words.length > MAX_WORDS) {
    throw fail(
      `too many words in one value: at most ${MAX_WORDS} (use ~ to search a substring)`,
      value.position,
    );
  }
  if (spec.lowercaseWord) {
    if (words.length > 1) return { sql: 'false', bindings: [] };
    return { sql: `${column} = ?`, bindings: [words[0].toLowerCase()] };
  }
  // The ILIKE is implied by the regular expression; it is there because pg_trgm's index serves
  // it well, so Postgres narrows the rows down before the regular expression checks each one.
  const like = `%${words.map(escapeLike).join('%')}%`;
  const pattern = `(^|${SEPARATOR})${words.join(`${SEPARATOR}+`)}(${SEPARATOR}|$)`;
  return { sql: `${guard}${column} ilike ? and ${column} ~* ?`, bindings: [like, pattern] };
}

function nullCondition(clause: Clause, spec: FieldSpec): SqlCondition {
  if (clause.operator !== ':') {
    throw fail(`null can only be used with ":", as in ${clause.field.name}:null`, clause.value.position);
  }
  return { sql: spec.nullable ? `${spec.column} is null` : 'false', bindings: [] };
}

// Metadata is a token field: keys match exactly, values case-insensitively. The condition is
// written on search_metadata_lower(metadata) (values lowercased; migration 008), which has a GIN
// index serving both the containment (@>) and the key-presence (?) operators.
function metadataCondition(clause: Clause, resource: SearchResource): SqlCondition {
  const { field, operator, value } = clause;
  if (field.key === null) throw fail('metadata needs a key, as in metadata["key"]:"value"', field.position);
  if (operator !== ':') {
    throw fail(`metadata supports only ":" (exact match), not ${show(operator)}`, field.position);
  }
  const lowered = `search_metadata_lower(${resource.metadataColumn})`;
  // `\\?` is knex's escape for a literal `?`, the jsonb key-presence operator.
  if (value.kind === 'null') return { sql: `not (${lowered} \\? ?)`, bindings: [field.key] };
  return {
    sql: `${lowered} @> jsonb_build_object(?::text, lower(?::text))`,
    bindings: [field.key, value.text],
  };
}

function integerOf(value: Exclude<Value, { kind: 'null' }>, field: string): number {
  const number = Number(value.text);
  if (!/^-?\d+$/.test(value.text) || !Number.isSafeInteger(number)) {
    throw fail(`expected an integer for ${field}, found ${show(value.text)}`, value.position);
  }
  return number;
}

// LIKE's own wildcards in the caller's text are matched literally (backslash is LIKE's default
// escape character).
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
