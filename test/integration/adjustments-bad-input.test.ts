// Malformed requests to the tax rate, coupon, promotion code and credit note endpoints (and the
// parameters they added elsewhere) are answered 4xx with Stripe's error shape, never 500, and
// change nothing.
import { startStack, type Stack } from '../support/stack';
import { rowCounts } from '../support/stripe-helpers';

let stack: Stack;
let invoiceId: string;
let customerId: string;
beforeAll(async () => {
  stack = await startStack();
  const customer = await stack.stripe.customers.create({});
  customerId = customer.id;
  const draft = await stack.stripe.invoices.create({ customer: customer.id });
  await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000 }] });
  invoiceId = (await stack.stripe.invoices.finalizeInvoice(draft.id)).id;
});
afterAll(async () => {
  await stack?.stop();
});

const TABLES = ['tax_rates', 'coupons', 'promotion_codes', 'credit_notes', 'invoices', 'events'];

async function send(
  method: string,
  path: string,
  body: string,
): Promise<{ status: number; json: { error?: unknown } }> {
  const url = `${stack.api.url}${path}${method === 'GET' && body ? `?${body}` : ''}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${stack.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: method === 'GET' ? undefined : body,
  });
  return { status: response.status, json: (await response.json()) as { error?: unknown } };
}

const CASES: Array<[string, string, string]> = [
  ['POST', '/v1/tax_rates', 'display_name=VAT&inclusive=maybe&percentage=20'],
  ['POST', '/v1/tax_rates', 'display_name=VAT&inclusive=false&percentage=1e2'],
  ['POST', '/v1/tax_rates', 'display_name=VAT&inclusive=false&percentage[x]=1'],
  ['POST', '/v1/tax_rates', 'display_name=&inclusive=false&percentage=5'],
  ['POST', '/v1/tax_rates', 'display_name=VAT&inclusive=false&percentage=5&country=Germany'],
  ['POST', '/v1/tax_rates', 'display_name=VAT&inclusive=false&percentage=5&tax_type=magic'],
  ['GET', '/v1/tax_rates', 'limit=1000'],
  ['GET', '/v1/tax_rates/txr_nope', ''],
  ['POST', '/v1/coupons', 'percent_off=abc'],
  ['POST', '/v1/coupons', 'percent_off=10&duration=sometimes'],
  ['POST', '/v1/coupons', 'amount_off=-5&currency=usd'],
  ['POST', '/v1/coupons', 'amount_off=5&currency=xyz'],
  ['POST', '/v1/coupons', 'percent_off=10&id=has space'],
  ['POST', '/v1/coupons', 'percent_off=10&applies_to[products][0]=prod_nope'],
  ['POST', '/v1/coupons', 'percent_off=10&max_redemptions=0'],
  ['DELETE', '/v1/coupons/nope', ''],
  ['POST', '/v1/promotion_codes', 'promotion[type]=coupon'],
  ['POST', '/v1/promotion_codes', 'promotion[type]=coupon&promotion[coupon]=nope'],
  ['POST', '/v1/promotion_codes', 'promotion=x'],
  ['POST', '/v1/promotion_codes/promo_nope', 'active=false'],
  ['POST', '/v1/invoices', 'customer={cus}&discounts=x'],
  ['POST', '/v1/invoices', 'customer={cus}&discounts[0][coupon]=a&discounts[0][promotion_code]=b'],
  ['POST', '/v1/invoices', 'customer={cus}&discounts[0][coupon][x]=1'],
  ['POST', '/v1/invoices', 'customer={cus}&default_tax_rates[0]=txr_nope'],
  ['POST', '/v1/invoices', 'customer={cus}&automatic_tax[enabled]=true'],
  ['POST', '/v1/invoiceitems', 'customer={cus}&amount=100&tax_rates[0][x]=1'],
  ['POST', '/v1/invoiceitems', 'customer={cus}&amount=100&discounts[0][discount]=di_nope'],
  ['POST', '/v1/credit_notes', 'invoice={inv}'],
  ['POST', '/v1/credit_notes', 'invoice={inv}&amount=-1'],
  ['POST', '/v1/credit_notes', 'invoice={inv}&amount=99999'],
  [
    'POST',
    '/v1/credit_notes',
    'invoice={inv}&lines[0][type]=invoice_line_item&lines[0][invoice_line_item]=il_nope',
  ],
  ['POST', '/v1/credit_notes', 'invoice={inv}&lines[0][type]=custom_line_item'],
  ['POST', '/v1/credit_notes', 'invoice={inv}&lines[0][type]=other'],
  ['POST', '/v1/credit_notes', 'invoice={inv}&amount=100&refund_amount=50'],
  ['POST', '/v1/credit_notes', 'invoice=in_nope&amount=1'],
  ['GET', '/v1/credit_notes/preview', 'invoice={inv}&amount=abc'],
  ['GET', '/v1/credit_notes/preview/lines', 'invoice={inv}'],
  ['POST', '/v1/credit_notes/cn_nope/void', ''],
  ['GET', '/v1/credit_notes/cn_nope/lines', ''],
];

describe('malformed requests to the adjustment endpoints', () => {
  it.each(CASES)('%s %s %s: 4xx with a Stripe error, nothing changed', async (method, path, raw) => {
    const body = raw.replace('{cus}', customerId).replace('{inv}', invoiceId);
    const before = await rowCounts(stack, TABLES);
    const { status, json } = await send(method, path, body);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    expect(await rowCounts(stack, TABLES)).toEqual(before);
  });
});
