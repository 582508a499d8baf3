// The syntax tree of a Stripe search query (see parser.ts for the grammar). It knows nothing of
// resources or SQL: to-sql.ts checks fields and operators against a resource's field table.

export type Operator = ':' | '~' | '>' | '<' | '>=' | '<=';

export const OPERATORS: readonly Operator[] = [':', '~', '>', '<', '>=', '<='];

// `metadata["key"]` carries its key; every other field has key null. Positions are 0-based
// offsets into the query text, kept so errors found after parsing can still point at the text.
export interface FieldRef {
  name: string;
  key: string | null;
  position: number;
}

// Numbers keep their text: a number is also a valid value for a token or string field
// (`phone:1234`), and only to-sql.ts knows which it is.
export type Value =
  | { kind: 'string'; text: string; position: number }
  | { kind: 'number'; text: string; position: number }
  | { kind: 'null'; position: number };

export interface Clause {
  negated: boolean;
  field: FieldRef;
  operator: Operator;
  value: Value;
  position: number;
}

// Stripe allows AND or OR in one query, never both, and has no parentheses: a query is one flat
// list of clauses under a single combinator (a lone clause is an AND of one).
export interface Query {
  combinator: 'AND' | 'OR';
  clauses: Clause[];
}

// A query the caller got wrong: the message says where (position) and what was expected. The API
// answers it as 400 invalid_request_error with param `query`.
export class SearchQueryError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'SearchQueryError';
    this.position = position;
  }
}
