import fc from 'fast-check';
import { SearchQueryError } from '../../../api/search/ast';
import { parseQuery } from '../../../api/search/parser';
import {
  compileQuery,
  CUSTOMER_SEARCH,
  INVOICE_SEARCH,
  MAX_WORDS,
  SEPARATOR,
  wordsOf,
  type SearchResource,
} from '../../../api/search/to-sql';

const compile = (query: string, resource: SearchResource = INVOICE_SEARCH) =>
  compileQuery(parseQuery(query), resource);

function errorOf(query: string, resource: SearchResource = INVOICE_SEARCH): SearchQueryError {
  try {
    compile(query, resource);
  } catch (error) {
    if (error instanceof SearchQueryError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to be refused`);
}

// A quoted string literal for any text, as a caller would escape it.
const quoted = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

describe('compileQuery', () => {
  describe('numeric fields', () => {
    it.each([
      ['total:1000', 'total = ?'],
      ['total>1000', 'total > ?'],
      ['total<1000', 'total < ?'],
      ['total>=1000', 'total >= ?'],
      ['total<=1000', 'total <= ?'],
      ['created>"1000"', 'created > ?'],
    ])('%s', (query, sql) => {
      expect(compile(query)).toEqual({ sql: `(${sql})`, bindings: [1000] });
    });

    it('takes negative integers', () => {
      expect(compile('total>-5').bindings).toEqual([-5]);
    });

    it.each(['total:1.5', 'total:"abc"', 'total:"12 "', 'total:99999999999999999999'])(
      'refuses %s',
      (query) => {
        expect(errorOf(query).message).toMatch(/expected an integer for total/);
      },
    );

    it('refuses ~ naming the field and the operators it takes', () => {
      const error = errorOf('total~"100"');
      expect(error.position).toBe(5);
      expect(error.message).toMatch(/numeric field total does not support "~"; use one of : > < >= <=/);
    });

    it('matches nothing for null, since the field is never empty', () => {
      expect(compile('total:null')).toEqual({ sql: '(false)', bindings: [] });
    });
  });

  describe('token fields', () => {
    it('compares a lowercase-only column with the lowercased value', () => {
      expect(compile('currency:"USD"')).toEqual({ sql: '(currency = ?)', bindings: ['usd'] });
    });

    it('compares other columns case-insensitively', () => {
      expect(compile('customer:"cus_ABC"')).toEqual({
        sql: '(lower(customer_id) = lower(?))',
        bindings: ['cus_ABC'],
      });
    });

    it('guards a nullable column so that negation keeps its empty rows', () => {
      expect(compile('-last_finalization_error_code:"x"').sql).toBe(
        '(not (last_finalization_error_code is not null and lower(last_finalization_error_code) = lower(?)))',
      );
      expect(compile('last_finalization_error_type:null').sql).toBe('(last_finalization_error_type is null)');
    });

    it('takes an unquoted number as text', () => {
      expect(compile('customer:123').bindings).toEqual(['123']);
    });

    it.each(['~"abc"', '>"a"', '<1', '>=1', '<=1'])('refuses currency%s', (rest) => {
      expect(errorOf(`currency${rest}`).message).toMatch(/token field currency does not support .*; use ":"/);
    });
  });

  describe('string fields', () => {
    it('matches the words of the value, in order, as Stripe does', () => {
      const { sql, bindings } = compile('number:"acme-0001"');
      expect(sql).toBe('(number is not null and number ilike ? and number ~* ?)');
      expect(bindings).toEqual(['%acme%0001%', `(^|${SEPARATOR})acme${SEPARATOR}+0001(${SEPARATOR}|$)`]);
    });

    it('compares a one-word column (status) by equality on the one word', () => {
      expect(compile('status:"Open"')).toEqual({ sql: '(status = ?)', bindings: ['open'] });
      expect(compile('status:"open draft"')).toEqual({ sql: '(false)', bindings: [] });
    });

    it('matches nothing for a value without words', () => {
      expect(compile('number:" - "')).toEqual({ sql: '(false)', bindings: [] });
      expect(compile('number:""')).toEqual({ sql: '(false)', bindings: [] });
    });

    it(`refuses more than ${MAX_WORDS} words`, () => {
      const words = (n: number) => `number:"${Array.from({ length: n }, (_, i) => `w${i}`).join(' ')}"`;
      expect(() => compile(words(MAX_WORDS))).not.toThrow();
      expect(errorOf(words(MAX_WORDS + 1)).message).toMatch(/position 7: too many words/);
    });

    it('searches substrings with ILIKE, escaping its wildcards', () => {
      expect(compile(String.raw`receipt_number~"5%_\\x"`)).toEqual({
        sql: '(receipt_number is not null and receipt_number ilike ?)',
        bindings: [String.raw`%5\%\_\\x%`],
      });
    });

    it('refuses a substring shorter than 3 characters, at the value', () => {
      const error = errorOf('number~"ab"');
      expect(error.position).toBe(7);
      expect(error.message).toMatch(/at least 3 characters/);
      expect(() => compile('number~"日本語"')).not.toThrow();
    });

    it.each(['>', '<', '>=', '<='])('refuses %s', (operator) => {
      expect(errorOf(`number${operator}"5"`).message).toMatch(/string field number does not support/);
    });

    it('refuses null with anything but ":"', () => {
      expect(errorOf('number~null').message).toMatch(/null can only be used with ":"/);
      expect(errorOf('total>null').message).toMatch(/null can only be used with ":"/);
    });

    it("reads a customer's phone from its attributes", () => {
      expect(compile('phone:null', CUSTOMER_SEARCH).sql).toBe("((attributes->>'phone') is null)");
    });
  });

  describe('metadata', () => {
    it('matches a key and a value (case-insensitive) through the indexed expression', () => {
      expect(compile('metadata["Order"]:"A-1"')).toEqual({
        sql: '(search_metadata_lower(metadata) @> jsonb_build_object(?::text, lower(?::text)))',
        bindings: ['Order', 'A-1'],
      });
    });

    it('checks presence with null', () => {
      expect(compile('-metadata["k"]:null').sql).toBe('(not (not (search_metadata_lower(metadata) \\? ?)))');
    });

    it.each([
      ['metadata:"x"', 0, /metadata needs a key/],
      ['metadata["k"]~"abc"', 0, /metadata supports only ":"/],
      ['status["k"]:"x"', 0, /the field status takes no \["key"\]/],
    ])('refuses %s', (query, position, message) => {
      const error = errorOf(query);
      expect(error.position).toBe(position);
      expect(error.message).toMatch(message);
    });
  });

  describe('unknown fields', () => {
    it('names the field and lists the known ones', () => {
      const error = errorOf('total>5 amount>5');
      expect(error.position).toBe(8);
      expect(error.message).toMatch(/unknown field "amount" for invoices; the fields are created, currency/);
    });

    it('knows each resource has its own fields', () => {
      expect(errorOf('email:"a@b.c"').message).toMatch(/unknown field "email"/);
      expect(errorOf('status:"open"', CUSTOMER_SEARCH).message).toMatch(
        /unknown field "status" for customers/,
      );
    });

    it('is not fooled by names on the prototype', () => {
      expect(errorOf('constructor:"x"').message).toMatch(/unknown field "constructor"/);
      expect(errorOf('__proto__:"x"').message).toMatch(/unknown field "__proto__"/);
    });
  });

  it('joins clauses with the query combinator and negates single clauses', () => {
    expect(compile('-status:"paid" OR total>5')).toEqual({
      sql: '(not (status = ?) or total > ?)',
      bindings: ['paid', 5],
    });
  });

  it('never puts the caller text into the SQL (property)', () => {
    // For any value, the SQL is one of the texts compiled for a fixed value: only bindings vary.
    const shapes = (field: string, op: string) =>
      new Set(
        ['abc def', 'abc', '']
          .filter((v) => op === ':' || v.length >= 3)
          .map((v) => compile(`${field}${op}"${v}"`).sql),
      );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 3 }).filter((s) => !s.includes('\u0000')),
        fc.constantFrom('number', 'status', 'customer', 'currency', 'subscription', 'metadata["k"]'),
        fc.constantFrom(':', '~'),
        (value, field, op) => {
          const operator = field === 'status' || field === 'number' || field === 'subscription' ? op : ':';
          const { sql } = compile(`${field}${operator}${quoted(value)}`);
          expect(shapes(field, operator).has(sql)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('wordsOf', () => {
  it('splits on ASCII whitespace and punctuation except "_"', () => {
    expect(wordsOf("  ACME-0001/x_y.z  O'Brien café 日本 ")).toEqual([
      'ACME',
      '0001',
      'x_y',
      'z',
      'O',
      'Brien',
      'café',
      '日本',
    ]);
  });

  it('agrees with the SQL pattern on what a separator is', () => {
    const separator = new RegExp(`^${SEPARATOR}$`);
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const isWordChar = /[A-Za-z0-9_]/.test(char) || code < 9 || (code > 13 && code < 32) || code === 127;
      expect([char, separator.test(char)]).toEqual([char, !isWordChar]);
    }
  });
});
