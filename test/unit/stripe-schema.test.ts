// The body check every integration test runs (test/support/stripe-schema/), on bodies made here:
// strict in each direction, lists item by item, Deleted* types, allowances applied.
import { newPrice } from '../../workflows/domain/price';
import { renderDeletedInvoice } from '../../workflows/domain/render/invoice';
import { renderPrice } from '../../workflows/domain/render/price';
import { checkStripeBody, formatProblem } from '../support/stripe-schema/check-body';

const problems = (body: unknown) => checkStripeBody(body).problems.map(formatProblem);

const price = () =>
  JSON.parse(
    JSON.stringify(
      renderPrice(
        newPrice(
          {
            id: 'price_1',
            accountId: 'acct_1',
            productId: 'prod_1',
            currency: 'usd',
            unitAmountDecimal: '12.5',
          },
          1_700_000_000,
        ),
      ),
    ),
  ) as Record<string, unknown>;

describe('checkStripeBody', () => {
  it('accepts a rendered price, its Decimal a decimal string', () => {
    const body = price();
    expect(body.unit_amount_decimal).toBe('12.5');
    expect(problems(body)).toEqual([]);
  });

  it('refuses a Decimal that is not a decimal string', () => {
    expect(problems({ ...price(), unit_amount_decimal: 12.5 })).toContain(
      'price /unit_amount_decimal: must be string {"type":"string"}',
    );
    expect(problems({ ...price(), unit_amount_decimal: '1e3' })).toContain(
      'price /unit_amount_decimal: must match pattern "^-?[0-9]+(\\.[0-9]+)?$"',
    );
  });

  it('reports a property the type lacks, a missing one and a null the type does not allow', () => {
    const body = price();
    delete body.currency;
    expect(problems({ ...body, subscription: null, active: null })).toEqual(
      expect.arrayContaining([
        "price /currency: must have required property 'currency'",
        'price /subscription: must NOT have additional properties',
        'price /active: must be boolean {"type":"boolean"}',
      ]),
    );
  });

  it('accepts any string in an open enum (`OtherString` in the types)', () => {
    expect(problems({ ...price(), tax_behavior: 'made_up_by_a_newer_api', type: 'monthly' })).toEqual([]);
  });

  it('checks a deleted object against its Deleted* type', () => {
    expect(problems(renderDeletedInvoice('in_gone'))).toEqual([]);
    expect(problems({ ...renderDeletedInvoice('in_gone'), status: 'void' })).toEqual([
      'invoice /status: must NOT have additional properties',
    ]);
  });

  it('checks a list envelope and each item by its own object', () => {
    const list = {
      object: 'list',
      data: [price(), { ...price(), extra: 1 }],
      has_more: false,
      url: '/v1/prices',
    };
    expect(checkStripeBody(list)).toEqual({
      objects: ['list', 'price', 'price'],
      problems: [expect.objectContaining({ object: 'price', path: '/data/1/extra' })],
    });
  });

  it('checks an error body against StripeRawError', () => {
    expect(problems({ error: { type: 'invalid_request_error', message: 'x', param: 'p' } })).toEqual([]);
    expect(problems({ error: { type: 'invalid_request_error', param: 7 } })).toEqual([
      'error /error/param: must be string {"type":"string"}',
    ]);
  });

  it('refuses an object or event type the stripe package does not declare', () => {
    expect(problems({ id: 'w_1', object: 'widget' })).toEqual([
      'widget /: the stripe package declares no object widget',
    ]);
    expect(problems({ id: 'evt_1', object: 'event', type: 'invoice.exploded' })).toEqual([
      'event /: the stripe package declares no event type invoice.exploded',
    ]);
  });

  it('drops what allowances.ts explains: our collection_settings extension', () => {
    expect(problems({ object: 'collection_settings', finalization_delay: 3600 })).toEqual([]);
  });
});
