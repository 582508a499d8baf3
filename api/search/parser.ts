// A recursive-descent parser for Stripe's search query language
// (https://docs.stripe.com/search#search-query-language). Grammar, in EBNF; `·` marks places
// where whitespace is not allowed (a clause is written as one word), `␣` where it is required:
//
//   query       = clause { separator clause } EOF
//   separator   = ␣ [ ( "AND" | "OR" ) ␣ ]        (keywords case-insensitive; bare ␣ means AND)
//   clause      = [ "-" · ] field · operator · value
//   field       = identifier [ · "[" string "]" ]  (the bracket form is for metadata["key"])
//   operator    = ":" | "~" | ">" | "<" | ">=" | "<="
//   value       = string | [ "-" · ] number | "null"  (null is case-insensitive, never quoted)
//   string      = '"' { char | "\" any } '"' | "'" { char | "\" any } "'"
//   number      = digit { digit } [ "." digit { digit } ]
//   identifier  = ( letter | "_" ) { letter | digit | "_" | "." }
//
// Rules the grammar does not show, all Stripe's: one query uses AND or OR, never both ("AND and
// OR operators are mutually exclusive"; a bare space counts as AND), and there are no
// parentheses, so there is no precedence to decide beyond "-" binding to its own clause.
// Fields and which operators they take are checked later, against a resource (to-sql.ts).
import { type Clause, type FieldRef, type Operator, type Query, type Value } from './ast';
import { queryError, show, tokenize, type Token } from './lexer';

// Ours, not Stripe's (its documentation names no limit): keeps one request's SQL bounded.
export const MAX_CLAUSES = 50;

export function parseQuery(text: string): Query {
  return new Parser(tokenize(text)).query();
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the query';
  return token.kind === 'string' ? `the string ${show(token.text)}` : show(token.text);
}

function keyword(token: Token): 'AND' | 'OR' | null {
  if (token.kind !== 'ident') return null;
  const upper = token.text.toUpperCase();
  return upper === 'AND' || upper === 'OR' ? upper : null;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): Query {
    if (this.peek().kind === 'eof') throw queryError('expected a clause such as status:"open"', 0);
    const clauses = [this.clause()];
    let combinator: 'AND' | 'OR' | null = null;
    while (this.peek().kind !== 'eof') {
      const next = this.peek();
      if (!next.spaceBefore) {
        throw queryError(
          `expected a space, AND or OR between clauses, found ${describe(next)}`,
          next.position,
        );
      }
      const word = keyword(next);
      if (word) {
        this.advance();
        const after = this.peek();
        if (after.kind === 'eof') throw queryError(`expected a clause after ${word}`, after.position);
        if (!after.spaceBefore) throw queryError(`expected a space after ${word}`, after.position);
      }
      const joined = word ?? 'AND';
      if (combinator !== null && combinator !== joined) {
        const how = word ? word : 'a space (which means AND)';
        throw queryError(
          `cannot combine AND and OR in one query: found ${how} after ${combinator} clauses`,
          next.position,
        );
      }
      combinator = joined;
      clauses.push(this.clause());
      if (clauses.length > MAX_CLAUSES) {
        throw queryError(`too many clauses: a query may have at most ${MAX_CLAUSES}`, next.position);
      }
    }
    return { combinator: combinator ?? 'AND', clauses };
  }

  private clause(): Clause {
    const start = this.peek().position;
    let negated = false;
    if (this.peek().kind === 'minus') {
      this.advance();
      negated = true;
      this.noSpace('a field name right after "-"');
    }
    const field = this.field();
    const expected = `an operator (:, ~, >, <, >= or <=) right after ${show(this.fieldText(field))}`;
    this.noSpace(expected);
    const operatorToken = this.peek();
    if (operatorToken.kind !== 'operator') {
      throw queryError(`expected ${expected}, found ${describe(operatorToken)}`, operatorToken.position);
    }
    this.advance();
    const operator = operatorToken.text as Operator;
    const value = this.value(operator, this.fieldText(field));
    return { negated, field, operator, value, position: start };
  }

  private field(): FieldRef {
    const token = this.peek();
    if (token.kind !== 'ident' || keyword(token)) {
      throw queryError(
        `expected a field name such as status or metadata["key"], found ${describe(token)}`,
        token.position,
      );
    }
    this.advance();
    if (this.peek().kind !== 'lbracket' || this.peek().spaceBefore) {
      return { name: token.text, key: null, position: token.position };
    }
    this.advance();
    const key = this.peek();
    if (key.kind !== 'string' || key.spaceBefore) {
      throw queryError(
        `expected a quoted key, as in ${token.text}["key"], found ${describe(key)}`,
        key.position,
      );
    }
    this.advance();
    const close = this.peek();
    if (close.kind !== 'rbracket' || close.spaceBefore) {
      throw queryError(
        `expected "]" after the key ${show(key.text)}, found ${describe(close)}`,
        close.position,
      );
    }
    this.advance();
    return { name: token.text, key: key.text, position: token.position };
  }

  private value(operator: Operator, fieldText: string): Value {
    const expected = `a value right after ${show(operator)}`;
    this.noSpace(expected);
    const token = this.peek();
    if (token.kind === 'string') {
      this.advance();
      return { kind: 'string', text: token.text, position: token.position };
    }
    if (token.kind === 'number') {
      this.advance();
      return { kind: 'number', text: token.text, position: token.position };
    }
    if (token.kind === 'minus') {
      this.advance();
      const digits = this.peek();
      if (digits.kind !== 'number' || digits.spaceBefore) {
        throw queryError(`expected a number right after "-", found ${describe(digits)}`, digits.position);
      }
      this.advance();
      return { kind: 'number', text: `-${digits.text}`, position: token.position };
    }
    if (token.kind === 'ident') {
      if (token.text.toLowerCase() === 'null') {
        this.advance();
        return { kind: 'null', position: token.position };
      }
      throw queryError(
        `expected a quoted value, found ${show(token.text)}: string values must be quoted, as in ${fieldText}${operator}"${token.text}"`,
        token.position,
      );
    }
    throw queryError(`expected ${expected}, found ${describe(token)}`, token.position);
  }

  // Inside a clause nothing may be separated by whitespace; the error points at the space.
  private noSpace(expected: string): void {
    const token = this.peek();
    if (token.spaceBefore && token.kind !== 'eof') {
      throw queryError(`expected ${expected}, found a space`, this.tokens[this.index - 1].end);
    }
  }

  private fieldText(field: FieldRef): string {
    return field.key === null ? field.name : `${field.name}[${show(field.key)}]`;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private advance(): void {
    if (this.index < this.tokens.length - 1) this.index++;
  }
}
