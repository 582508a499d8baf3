import { SearchQueryError, type Query } from '../../../api/search/ast';
import { MAX_CLAUSES, parseQuery } from '../../../api/search/parser';

function errorOf(query: string): SearchQueryError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof SearchQueryError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to be refused`);
}

// The clauses as compact tuples: [negated, field, key, operator, value kind, value text].
function shape(query: Query) {
  return {
    combinator: query.combinator,
    clauses: query.clauses.map((c) => [
      c.negated,
      c.field.name,
      c.field.key,
      c.operator,
      c.value.kind,
      c.value.kind === 'null' ? null : c.value.text,
    ]),
  };
}

describe('parseQuery', () => {
  describe('a single clause', () => {
    it.each([
      ['status:"open"', [false, 'status', null, ':', 'string', 'open']],
      ["currency:'usd'", [false, 'currency', null, ':', 'string', 'usd']],
      ['email~"amy"', [false, 'email', null, '~', 'string', 'amy']],
      ['total>1000', [false, 'total', null, '>', 'number', '1000']],
      ['total<1000', [false, 'total', null, '<', 'number', '1000']],
      ['total>=1000', [false, 'total', null, '>=', 'number', '1000']],
      ['total<=1000', [false, 'total', null, '<=', 'number', '1000']],
      ['amount>="10"', [false, 'amount', null, '>=', 'string', '10']],
      ['total>-5', [false, 'total', null, '>', 'number', '-5']],
      ['url:null', [false, 'url', null, ':', 'null', null]],
      ['url:NULL', [false, 'url', null, ':', 'null', null]],
      ['url:"null"', [false, 'url', null, ':', 'string', 'null']],
      ['-currency:"jpy"', [true, 'currency', null, ':', 'string', 'jpy']],
      ['metadata["donation-id"]:"asdf-jkl"', [false, 'metadata', 'donation-id', ':', 'string', 'asdf-jkl']],
      ["metadata['key']:'value'", [false, 'metadata', 'key', ':', 'string', 'value']],
      ['-metadata["donation-id"]:null', [true, 'metadata', 'donation-id', ':', 'null', null]],
      [
        'payment_method_details.card.last4:4242',
        [false, 'payment_method_details.card.last4', null, ':', 'number', '4242'],
      ],
      [
        String.raw`description:"the story called \"The Sky and the Sea.\""`,
        [false, 'description', null, ':', 'string', 'the story called "The Sky and the Sea."'],
      ],
    ])('%s', (query, clause) => {
      expect(shape(parseQuery(query))).toEqual({ combinator: 'AND', clauses: [clause] });
    });
  });

  describe('several clauses', () => {
    it('joins clauses separated by spaces with AND', () => {
      expect(shape(parseQuery('status:"open"   total>5')).combinator).toBe('AND');
    });

    it.each(['AND', 'and', 'And'])('reads %s as AND', (word) => {
      const query = parseQuery(`status:"open" ${word} total>5 ${word} currency:"usd"`);
      expect(query.combinator).toBe('AND');
      expect(query.clauses).toHaveLength(3);
    });

    it.each(['OR', 'or'])('reads %s as OR', (word) => {
      const query = parseQuery(`currency:"usd" ${word} currency:"eur"`);
      expect(shape(query)).toEqual({
        combinator: 'OR',
        clauses: [
          [false, 'currency', null, ':', 'string', 'usd'],
          [false, 'currency', null, ':', 'string', 'eur'],
        ],
      });
    });

    it('binds "-" to its own clause only (negation before OR)', () => {
      const query = parseQuery('-status:"paid" OR total>5');
      expect(query.combinator).toBe('OR');
      expect(query.clauses.map((c) => c.negated)).toEqual([true, false]);
    });

    it('allows space and AND together (both mean AND)', () => {
      expect(parseQuery('a:1 b:2 AND c:3').clauses).toHaveLength(3);
    });

    it('records where each clause starts', () => {
      expect(parseQuery('a:1 AND -b:"x"').clauses.map((c) => [c.position, c.value.position])).toEqual([
        [0, 2],
        [8, 11],
      ]);
    });

    it(`accepts ${MAX_CLAUSES} clauses and refuses more`, () => {
      const clause = (i: number) => `total>${i}`;
      const many = Array.from({ length: MAX_CLAUSES }, (_, i) => clause(i));
      expect(parseQuery(many.join(' ')).clauses).toHaveLength(MAX_CLAUSES);
      expect(errorOf([...many, 'total>0'].join(' ')).message).toMatch(/at most 50/);
    });
  });

  describe('refusals say where and what was expected', () => {
    it.each([
      ['', 0, /expected a clause/],
      ['   ', 0, /expected a clause/],
      ['a:"x" OR b:"y" AND c:"z"', 15, /cannot combine AND and OR/],
      ['a:"x" AND b:"y" OR c:"z"', 16, /cannot combine AND and OR/],
      ['a:"x" OR b:"y" c:"z"', 15, /cannot combine AND and OR.*a space \(which means AND\)/],
      ['a:"x" b:"y" OR c:"z"', 12, /cannot combine AND and OR/],
      ['status:open', 7, /expected a quoted value, found "open".*status:"open"/],
      ['status', 6, /expected an operator .* right after "status", found the end of the query/],
      ['status "open"', 6, /expected an operator .*found a space/],
      ['total >5', 5, /found a space/],
      ['total> 5', 6, /expected a value right after ">", found a space/],
      ['- total>5', 1, /expected a field name right after "-", found a space/],
      ['--total>5', 1, /expected a field name/],
      ['total:', 6, /expected a value right after ":", found the end of the query/],
      ['total:-', 7, /expected a number right after "-"/],
      ['total:-"5"', 7, /expected a number right after "-"/],
      ['total:>5', 6, /expected a value right after ":", found ">"/],
      [':"x"', 0, /expected a field name/],
      ['"x"', 0, /expected a field name.*found the string "x"/],
      ['AND a:1', 0, /expected a field name.*found "AND"/],
      ['a:1 AND', 7, /expected a clause after AND/],
      ['a:1 OR', 6, /expected a clause after OR/],
      ['a:1 AND OR b:2', 8, /expected a field name.*found "OR"/],
      ['a:1b:2', 3, /expected a space, AND or OR between clauses/],
      ['a:"x"b:2', 5, /expected a space, AND or OR between clauses/],
      ['metadata[key]:"v"', 9, /expected a quoted key/],
      ['metadata["key":"v"', 14, /expected "\]" after the key "key"/],
      ['metadata[]:"v"', 9, /expected a quoted key/],
    ])('%j at position %i', (query, position, message) => {
      const error = errorOf(query);
      expect(error.position).toBe(position);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(`position ${position}`);
    });
  });
});
