import { DomainError } from '../../workflows/domain/errors';
import {
  arrayOf,
  boolean,
  emptyable,
  integer,
  metadata,
  object,
  oneOf,
  parseParams,
  required,
  string,
} from '../../api/stripe/params';

function rejection(fn: () => unknown): DomainError['data'] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.data;
    throw error;
  }
  throw new Error('expected a rejection');
}

const schema = {
  customer: required(string({ maxLength: 10 })),
  amount: integer({ min: 0, max: 1000 }),
  paid: boolean(),
  method: oneOf(['a', 'b'] as const),
  description: emptyable(string()),
  metadata: metadata(),
  lines: arrayOf(object({ amount: required(integer()) }), { max: 2 }),
};

describe('parseParams', () => {
  it('turns form strings into typed values', () => {
    expect(
      parseParams(schema, {
        customer: 'cus_1',
        amount: '12',
        paid: 'true',
        method: 'b',
        description: '',
        lines: [{ amount: '-5' }],
      }),
    ).toEqual({
      customer: 'cus_1',
      amount: 12,
      paid: true,
      method: 'b',
      description: null,
      lines: [{ amount: -5 }],
    });
  });

  it('refuses an unknown parameter with parameter_unknown and its name', () => {
    expect(rejection(() => parseParams(schema, { customer: 'c', bogus: '1' }))).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'bogus',
    });
  });

  it('names nested unknown parameters in bracket notation', () => {
    const data = rejection(() => parseParams(schema, { customer: 'c', lines: [{ amount: '1', nope: 'x' }] }));
    expect(data).toMatchObject({ code: 'parameter_unknown', param: 'lines[0][nope]' });
  });

  it('refuses a missing required parameter with parameter_missing', () => {
    expect(rejection(() => parseParams(schema, {}))).toMatchObject({
      code: 'parameter_missing',
      param: 'customer',
    });
  });

  it.each([
    ['amount', 'abc', 'parameter_invalid_integer'],
    ['amount', '1.5', 'parameter_invalid_integer'],
    ['amount', '-1', 'parameter_invalid_integer'],
    ['amount', '1001', 'parameter_invalid_integer'],
    ['amount', '99999999999999999999', 'parameter_invalid_integer'],
  ])('refuses %s=%s with %s', (param, value, code) => {
    expect(rejection(() => parseParams(schema, { customer: 'c', [param]: value }))).toMatchObject({
      code,
      param,
    });
  });

  it('refuses a bad boolean and a bad enum, naming the parameter', () => {
    expect(rejection(() => parseParams(schema, { customer: 'c', paid: 'yes' }))).toMatchObject({
      param: 'paid',
    });
    expect(rejection(() => parseParams(schema, { customer: 'c', method: 'z' }))).toMatchObject({
      param: 'method',
    });
  });

  describe('booleans', () => {
    it.each(['true', 'True', 'TRUE', 'tRuE'])('accepts %s as true', (raw) => {
      expect(parseParams(schema, { customer: 'c', paid: raw })).toMatchObject({ paid: true });
    });

    it.each(['false', 'False', 'FALSE', 'fAlSe'])('accepts %s as false', (raw) => {
      expect(parseParams(schema, { customer: 'c', paid: raw })).toMatchObject({ paid: false });
    });

    it.each(['1', '0', 'yes', 'no', 'on', 't', '', ' true', 'true '])(
      "refuses '%s', naming the parameter",
      (raw) => {
        expect(rejection(() => parseParams(schema, { customer: 'c', paid: raw }))).toMatchObject({
          type: 'invalid_request_error',
          param: 'paid',
          message: `Invalid boolean: ${raw}`,
        });
      },
    );

    it('names a nested boolean by its brackets', () => {
      const nested = { lines: arrayOf(object({ discountable: boolean() })) };
      expect(parseParams(nested, { lines: [{ discountable: 'FALSE' }] })).toEqual({
        lines: [{ discountable: false }],
      });
      expect(rejection(() => parseParams(nested, { lines: [{ discountable: '0' }] }))).toMatchObject({
        param: 'lines[0][discountable]',
        message: 'Invalid boolean: 0',
      });
    });

    it('refuses a nested value', () => {
      expect(rejection(() => parseParams(schema, { customer: 'c', paid: { a: 'true' } }))).toMatchObject({
        param: 'paid',
        message: 'Invalid boolean: a nested value',
      });
    });
  });

  it('refuses an object where a string is expected', () => {
    expect(rejection(() => parseParams(schema, { customer: { x: '1' } }))).toMatchObject({
      param: 'customer',
    });
  });

  it('refuses strings longer than the field allows', () => {
    expect(rejection(() => parseParams(schema, { customer: 'x'.repeat(11) }))).toMatchObject({
      param: 'customer',
    });
  });

  it('refuses an empty string for a field that cannot be unset', () => {
    expect(rejection(() => parseParams(schema, { customer: '' }))).toMatchObject({
      code: 'parameter_invalid_empty',
      param: 'customer',
    });
  });

  it('refuses arrays longer than allowed', () => {
    const lines = [{ amount: '1' }, { amount: '2' }, { amount: '3' }];
    expect(rejection(() => parseParams(schema, { customer: 'c', lines }))).toMatchObject({ param: 'lines' });
  });

  it('accepts arrays sent as index-keyed objects', () => {
    expect(
      parseParams(schema, { customer: 'c', lines: { 1: { amount: '2' }, 0: { amount: '1' } } }).lines,
    ).toEqual([{ amount: 1 }, { amount: 2 }]);
  });

  describe('metadata', () => {
    it('accepts 50 keys of 40 characters with 500-character values', () => {
      const raw = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(40, 'x'), 'v'.repeat(500)]),
      );
      expect(Object.keys(parseParams(schema, { customer: 'c', metadata: raw }).metadata ?? {})).toHaveLength(
        50,
      );
    });

    it('refuses a 51st key', () => {
      const raw = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      expect(rejection(() => parseParams(schema, { customer: 'c', metadata: raw }))).toMatchObject({
        param: 'metadata',
      });
    });

    it('refuses a key over 40 characters and a value over 500', () => {
      const longKey = 'k'.repeat(41);
      expect(
        rejection(() => parseParams(schema, { customer: 'c', metadata: { [longKey]: 'v' } })),
      ).toMatchObject({
        param: `metadata[${longKey}]`,
      });
      expect(
        rejection(() => parseParams(schema, { customer: 'c', metadata: { k: 'v'.repeat(501) } })),
      ).toMatchObject({
        param: 'metadata[k]',
      });
    });

    it('turns an empty value into a removal', () => {
      expect(parseParams(schema, { customer: 'c', metadata: { gone: '' } }).metadata).toEqual({ gone: null });
    });
  });
});
