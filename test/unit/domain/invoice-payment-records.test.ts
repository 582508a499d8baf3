import { applyAttachPayment, applyAttachedIntentCanceled } from '../../../workflows/domain/invoice-attach';
import { applyVoid, paymentSucceeded } from '../../../workflows/domain/invoice';
import {
  invoicePaymentAmountRequested,
  pendingAttachedAmount,
} from '../../../workflows/domain/invoice-payment-records';
import { eventTypes, NOW, openInvoice, sequentialIds } from './support';

const AT = NOW + 60;

describe('invoice payments', () => {
  const open = openInvoice();
  const [defaultPayment] = open.payments ?? [];

  it('an open invoice has its default payment, for what is due', () => {
    expect(defaultPayment).toMatchObject({
      isDefault: true,
      status: 'open',
      amountRequested: 1000,
      amountPaid: null,
    });
  });

  it('a partial attached payment is paid, the default one follows what is left', () => {
    const partly = applyAttachPayment(
      open,
      { paymentIntentId: 'pi_a', amount: 400, succeeded: true },
      AT,
      sequentialIds(),
    );
    const [first, attached] = partly.state.payments ?? [];
    expect(attached).toMatchObject({
      paymentIntentId: 'pi_a',
      status: 'paid',
      amountPaid: 400,
      amountRequested: 400,
    });
    expect(first.status).toBe('open');
    expect(invoicePaymentAmountRequested(partly.state, first)).toBe(600);
    expect(partly.state.status).toBe('open');
    expect(eventTypes(partly)).toEqual(['invoice.updated', 'invoice_payment.paid']);
  });

  it('an attached payment not yet succeeded waits open, then pays or cancels', () => {
    const waiting = applyAttachPayment(
      open,
      { paymentIntentId: 'pi_b', amount: 1000, succeeded: false },
      AT,
      sequentialIds(),
    );
    expect(waiting.state.amountPaid).toBe(0);
    expect(pendingAttachedAmount(waiting.state)).toBe(1000);
    const paid = paymentSucceeded(
      waiting.state,
      { amount: 1000, paymentIntentId: 'pi_b' },
      AT + 1,
      sequentialIds(),
    );
    expect(paid.state.status).toBe('paid');
    expect(paid.state.payments?.map((payment) => payment.status)).toEqual(['canceled', 'paid']);
    expect(eventTypes(paid).filter((type) => type === 'invoice.paid')).toHaveLength(1);
    const canceled = applyAttachedIntentCanceled(waiting.state, 'pi_b', AT + 2);
    expect(canceled.state.payments?.[1]).toMatchObject({ status: 'canceled', canceledAt: AT + 2 });
    expect(pendingAttachedAmount(canceled.state)).toBe(0);
  });

  it('voiding cancels every open payment', () => {
    const waiting = applyAttachPayment(
      open,
      { paymentIntentId: 'pi_c', amount: 500, succeeded: false },
      AT,
      sequentialIds(),
    );
    const voided = applyVoid(waiting.state, undefined, AT, sequentialIds());
    expect(voided.state.payments?.map((payment) => payment.status)).toEqual(['canceled', 'canceled']);
  });
});
