// /v1/refunds of a PaymentIntent on its own: what it has left decides.
import { directRefundAmount } from '../../../workflows/domain/refund';
import type { PaymentRecord } from '../../../workflows/domain/render/payment-intent';
import { refusalOf } from './support';

const succeeded: PaymentRecord = {
  id: 'pi_1',
  amount: 2000,
  currency: 'usd',
  customerId: null,
  invoiceId: null,
  paymentMethod: 'pm_card_visa',
  outcome: { status: 'succeeded' } as PaymentRecord['outcome'],
  status: 'succeeded',
  captureMethod: 'automatic',
  confirmationMethod: 'automatic',
  canceledAt: null,
  cancellationReason: null,
  latestCharge: 'ch_1',
  amountReceived: null,
  metadata: {},
  description: null,
  created: 1,
};

describe('directRefundAmount', () => {
  it('is all that is left when no amount is asked', () => {
    expect(directRefundAmount(succeeded, 0, undefined)).toBe(2000);
    expect(directRefundAmount(succeeded, 1500, undefined)).toBe(500);
    // manual capture of 1200: 1200 received
    expect(directRefundAmount({ ...succeeded, amountReceived: 1200 }, 200, undefined)).toBe(1000);
  });

  it('takes an amount up to what is left, and refuses more on `amount`', () => {
    expect(directRefundAmount(succeeded, 1500, 500)).toBe(500);
    expect(refusalOf(() => directRefundAmount(succeeded, 1500, 501)).data).toMatchObject({
      param: 'amount',
      code: 'amount_too_large',
    });
  });

  it('refuses a PaymentIntent refunded in full, one that never succeeded, and one that pays an invoice', () => {
    expect(refusalOf(() => directRefundAmount(succeeded, 2000, undefined)).data.code).toBe(
      'charge_already_refunded',
    );
    expect(
      refusalOf(() => directRefundAmount({ ...succeeded, status: 'requires_payment_method' }, 0, undefined))
        .data,
    ).toMatchObject({ code: 'charge_not_refundable', param: 'payment_intent' });
    expect(
      refusalOf(() => directRefundAmount({ ...succeeded, invoiceId: 'in_1' }, 0, 100)).data.message,
    ).toContain('credit note');
  });
});
