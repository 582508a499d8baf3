import { SearchQueryError } from '../../../api/search/ast';
import { tokenize } from '../../../api/search/lexer';

function kinds(query: string) {
  return tokenize(query).map((token) => [token.kind, token.text]);
}

function errorOf(query: string): SearchQueryError {
  try {
    tokenize(query);
  } catch (error) {
    if (error instanceof SearchQueryError) return error;
    throw error;
  }
  throw new Error('expected a SearchQueryError');
}

describe('tokenize', () => {
  it('splits a clause into field, operator and value', () => {
    expect(kinds('status:"open"')).toEqual([
      ['ident', 'status'],
      ['operator', ':'],
      ['string', 'open'],
      ['eof', ''],
    ]);
  });

  it.each([':', '~', '>', '<', '>=', '<='])('reads the operator %s', (operator) => {
    expect(kinds(`total${operator}1`)[1]).toEqual(['operator', operator]);
  });

  it('reads minus, brackets, numbers and dotted identifiers', () => {
    expect(kinds("-metadata['k']:12.5 a.b_c")).toEqual([
      ['minus', '-'],
      ['ident', 'metadata'],
      ['lbracket', '['],
      ['string', 'k'],
      ['rbracket', ']'],
      ['operator', ':'],
      ['number', '12.5'],
      ['ident', 'a.b_c'],
      ['eof', ''],
    ]);
  });

  it('records positions and the whitespace before each token', () => {
    const tokens = tokenize('a:1  AND\tb:2');
    expect(tokens.map((t) => [t.text, t.position, t.spaceBefore])).toEqual([
      ['a', 0, false],
      [':', 1, false],
      ['1', 2, false],
      ['AND', 5, true],
      ['b', 9, true],
      [':', 10, false],
      ['2', 11, false],
      ['', 12, false],
    ]);
  });

  describe('strings', () => {
    it('takes double or single quotes', () => {
      expect(tokenize(`"a b" 'c d'`).map((t) => t.text)).toEqual(['a b', 'c d', '']);
    });

    it('unescapes a backslash before any character', () => {
      expect(tokenize(String.raw`"the \"Sky\" \\ \'x\'"`)[0].text).toBe(`the "Sky" \\ 'x'`);
      expect(tokenize(String.raw`'it\'s'`)[0].text).toBe("it's");
    });

    it('keeps the other quote as it is', () => {
      expect(tokenize(`"it's"`)[0].text).toBe("it's");
      expect(tokenize(`'say "hi"'`)[0].text).toBe('say "hi"');
    });

    it('keeps unicode, SQL and wildcards as plain text', () => {
      const text = "'; drop table invoices; -- % _ 日本 🎉";
      expect(tokenize(JSON.stringify(text))[0].text).toBe(text);
    });

    it('refuses an unterminated string at its opening quote', () => {
      const error = errorOf('status:"open');
      expect(error.position).toBe(7);
      expect(error.message).toMatch(/position 7: unterminated string: expected a closing "/);
    });

    it('refuses a string ending in a lone backslash', () => {
      expect(errorOf('a:"x\\').position).toBe(2);
    });
  });

  describe('refused characters', () => {
    it.each([
      ['a=1', 1, /use ":" for an exact match/],
      ['(a:1)', 0, /no parentheses/],
      ['a:1 | b:2', 4, /unexpected character "\|"/],
      ['a:"x\u0000"', 4, /unexpected character/],
      ['a:1 é', 4, /unexpected character "é"/],
    ])('%j at position %i', (query, position, message) => {
      const error = errorOf(query);
      expect(error.position).toBe(position);
      expect(error.message).toMatch(message);
    });
  });
});
