// Turns a search query into tokens. Each token remembers where it starts and whether whitespace
// came before it: the parser needs that, because a clause (`-field:value`) is written without
// spaces and clauses are separated by them (a bare space means AND).
import { SearchQueryError } from './ast';

export type TokenKind =
  'ident' | 'string' | 'number' | 'operator' | 'minus' | 'lbracket' | 'rbracket' | 'eof';

export interface Token {
  kind: TokenKind;
  // identifiers, numbers and operators: the text as written; strings: the decoded contents.
  text: string;
  position: number;
  end: number;
  spaceBefore: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

export function queryError(message: string, position: number): SearchQueryError {
  return new SearchQueryError(`Invalid search query at position ${position}: ${message}`, position);
}

// How a character or token is named in an error message.
export function show(text: string): string {
  return JSON.stringify(text);
}

export function tokenize(query: string): Token[] {
  // Postgres text cannot hold NUL, so a NUL anywhere (even quoted) is refused here, as a 400.
  const nul = query.indexOf('\u0000');
  if (nul >= 0) throw queryError('unexpected character "\\u0000"', nul);
  const tokens: Token[] = [];
  let i = 0;
  let spaceBefore = false;
  const push = (kind: TokenKind, text: string, position: number) => {
    tokens.push({ kind, text, position, end: i, spaceBefore });
    spaceBefore = false;
  };
  while (i < query.length) {
    const c = query[i];
    const start = i;
    if (WHITESPACE.has(c)) {
      i++;
      spaceBefore = true;
    } else if (c === '"' || c === "'") {
      const { value, end } = readString(query, start);
      i = end;
      push('string', value, start);
    } else if (DIGIT.test(c)) {
      while (i < query.length && DIGIT.test(query[i])) i++;
      // A fraction is lexed so the message can say "must be an integer" rather than "unexpected .".
      if (query[i] === '.' && DIGIT.test(query[i + 1] ?? '')) {
        i++;
        while (i < query.length && DIGIT.test(query[i])) i++;
      }
      push('number', query.slice(start, i), start);
    } else if (IDENT_START.test(c)) {
      while (i < query.length && IDENT_PART.test(query[i])) i++;
      push('ident', query.slice(start, i), start);
    } else if (c === '>' || c === '<') {
      i += query[i + 1] === '=' ? 2 : 1;
      push('operator', query.slice(start, i), start);
    } else if (c === ':' || c === '~') {
      i++;
      push('operator', c, start);
    } else if (c === '-') {
      i++;
      push('minus', c, start);
    } else if (c === '[' || c === ']') {
      i++;
      push(c === '[' ? 'lbracket' : 'rbracket', c, start);
    } else if (c === '=') {
      throw queryError(`unexpected "=": use ":" for an exact match, or ">=" / "<=" to compare`, start);
    } else if (c === '(' || c === ')') {
      throw queryError(`unexpected ${show(c)}: the search language has no parentheses`, start);
    } else {
      const char = String.fromCodePoint(query.codePointAt(i) ?? 0);
      throw queryError(`unexpected character ${show(char)}`, start);
    }
  }
  tokens.push({ kind: 'eof', text: '', position: query.length, end: query.length, spaceBefore });
  return tokens;
}

// Reads the quoted string starting at `from`; `end` is just after its closing quote. A backslash
// escapes the next character, whatever it is (`\"`, `\'`, `\\`).
function readString(text: string, from: number): { value: string; end: number } {
  const quote = text[from];
  let value = '';
  let j = from + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\\') {
      if (j + 1 >= text.length) break;
      value += text[j + 1];
      j += 2;
    } else if (ch === quote) {
      return { value, end: j + 1 };
    } else {
      value += ch;
      j++;
    }
  }
  throw queryError(`unterminated string: expected a closing ${quote} before the end of the query`, from);
}
