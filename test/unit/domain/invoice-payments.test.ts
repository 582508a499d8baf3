import {
  assertCanPay,
  assertCanRecordPaymentSuccess,
  paymentActionRequired,
  paymentAttemptRequired,
  paymentFailed,
  paymentSucceeded,
  payOutOfBand,
  refusals,
} from '../../../workflows/domain/invoice';
import { computeTotals } from '../../../workflows/domain/totals';
import {
  deletedInvoice,
  draftInvoice,
  eventTypes,
  expectRefusal,
  NOW,
  openInvoice,
  paidInvoice,
  sequentialIds,
  uncollectibleInvoice,
  voidedInvoice,
} from './support';

const AT = NOW + 500;

describe('paymentSucceeded', () => {
  describe('for the whole amount', () => {
    const open = openInvoice();
    const paid = paymentSucceeded(open, { amount: 1000 }, AT, sequentialIds());

    it('marks the invoice paid', () => {
      expect(paid.state).toMatchObject({
        status: 'paid',
        amountPaid: 1000,
        attempted: true,
        attemptCount: 1,
        paidOutOfBand: false,
        nextPaymentAttempt: null,
        version: open.version + 1,
      });
      expect(paid.state.statusTransitions.paidAt).toBe(AT);
      expect(computeTotals(paid.state)).toMatchObject({ amountRemaining: 0, amountOverpaid: 0 });
    });

    it('emits invoice.paid and invoice.payment_succeeded, and invoice_payment.paid for its default payment', () => {
      expect(eventTypes(paid)).toEqual(['invoice.paid', 'invoice.payment_succeeded', 'invoice_payment.paid']);
      expect(paid.balanceTransactions).toEqual([]);
    });

    it('records the money on the default payment', () => {
      const [payment] = paid.state.payments ?? [];
      expect(payment).toMatchObject({ isDefault: true, status: 'paid', amountPaid: 1000, paidAt: AT });
      expect(paid.events[2].objectId).toBe(payment.id);
    });
  });

  describe('for part of the amount', () => {
    const partial = paymentSucceeded(openInvoice(), { amount: 400, outOfBand: true }, AT, sequentialIds());

    it('stays open with the rest remaining', () => {
      expect(partial.state.status).toBe('open');
      expect(computeTotals(partial.state)).toMatchObject({ amountPaid: 400, amountRemaining: 600 });
    });

    it('reports the change with invoice.updated', () => {
      expect(eventTypes(partial)).toEqual(['invoice.updated']);
      expect(partial.events[0]?.previousAttributes).toEqual({ amount_paid: 0, amount_remaining: 1000 });
    });

    it('is completed by a second payment', () => {
      const rest = paymentSucceeded(partial.state, { amount: 600, outOfBand: true }, AT + 1, sequentialIds());
      expect(rest.state.status).toBe('paid');
      expect(eventTypes(rest)).toEqual(['invoice.paid', 'invoice.payment_succeeded']);
    });
  });

  describe('beyond the amount due', () => {
    const overpaid = paymentSucceeded(openInvoice(), { amount: 1500, outOfBand: true }, AT, sequentialIds());

    it('is paid and overpaid', () => {
      expect(overpaid.state.status).toBe('paid');
      expect(computeTotals(overpaid.state)).toMatchObject({
        amountPaid: 1500,
        amountOverpaid: 500,
        amountRemaining: 0,
      });
    });

    it('emits invoice.overpaid and credits the excess to the customer', () => {
      expect(eventTypes(overpaid)).toEqual(['invoice.paid', 'invoice.payment_succeeded', 'invoice.overpaid']);
      expect(overpaid.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
        ['invoice_overpaid', -500],
      ]);
    });
  });

  it('counts only the first manual attempt, and every automatic one', () => {
    const ids = sequentialIds();
    let state = openInvoice();
    state = paymentFailed(state, { nextPaymentAttempt: AT }, AT, ids).state;
    state = paymentFailed(state, { nextPaymentAttempt: AT }, AT, ids).state;
    expect(state.attemptCount).toBe(1);
    state = paymentFailed(state, { nextPaymentAttempt: AT, automatic: true }, AT, ids).state;
    expect(state.attemptCount).toBe(2);
    state = paymentSucceeded(state, { amount: 1000, automatic: true }, AT, ids).state;
    expect(state.attemptCount).toBe(3);
  });

  it('pays an uncollectible invoice', () => {
    const paid = paymentSucceeded(uncollectibleInvoice(), { amount: 1000 }, AT, sequentialIds());
    expect(paid.state.status).toBe('paid');
  });

  it('rejects a non-positive or fractional amount', () => {
    expectRefusal(
      () => assertCanRecordPaymentSuccess(openInvoice(), { amount: 0 }),
      refusals.invalidInteger('amount', 0),
    );
    expectRefusal(
      () => assertCanRecordPaymentSuccess(openInvoice(), { amount: 1.5 }),
      refusals.invalidInteger('amount', 1.5),
    );
  });

  describe('when the invoice is paid', () => {
    it('rejects: already paid', () => {
      expectRefusal(
        () => paymentSucceeded(paidInvoice(), { amount: 1 }, AT, sequentialIds()),
        refusals.alreadyPaid(),
      );
    });
  });

  describe.each([
    ['draft', () => draftInvoice()],
    ['void', () => voidedInvoice()],
  ])('when the invoice is %s', (_status, make) => {
    it('rejects: not open', () => {
      expectRefusal(() => paymentSucceeded(make(), { amount: 1 }, AT, sequentialIds()), refusals.notOpen());
    });
  });
});

describe('payOutOfBand', () => {
  it('marks the remaining amount paid without counting an attempt', () => {
    const paid = payOutOfBand(openInvoice(), {}, AT, sequentialIds());
    expect(paid.state).toMatchObject({
      status: 'paid',
      paidOutOfBand: true,
      attempted: false,
      attemptCount: 0,
      amountPaid: 1000,
    });
    expect(eventTypes(paid)).toEqual(['invoice.paid', 'invoice.payment_succeeded']);
  });

  it('pays what a partial payment left', () => {
    const ids = sequentialIds();
    const partial = paymentSucceeded(openInvoice(), { amount: 300 }, AT, ids).state;
    expect(payOutOfBand(partial, {}, AT, ids).state).toMatchObject({ status: 'paid', amountPaid: 1000 });
  });

  it('rejects a paid invoice', () => {
    expectRefusal(() => payOutOfBand(paidInvoice(), {}, AT, sequentialIds()), refusals.alreadyPaid());
  });
});

describe('paymentFailed', () => {
  const open = openInvoice();
  const failed = paymentFailed(open, { nextPaymentAttempt: AT + 86_400 }, AT, sequentialIds());

  it('counts the attempt and schedules the next one', () => {
    expect(failed.state).toMatchObject({
      status: 'open',
      attempted: true,
      attemptCount: 1,
      nextPaymentAttempt: AT + 86_400,
      version: open.version + 1,
    });
    expect(eventTypes(failed)).toEqual(['invoice.payment_failed']);
  });

  it('clears the schedule after the last attempt', () => {
    expect(
      paymentFailed(failed.state, { nextPaymentAttempt: null, automatic: true }, AT, sequentialIds()).state,
    ).toMatchObject({
      attemptCount: 2,
      nextPaymentAttempt: null,
    });
  });

  describe.each([
    ['draft', () => draftInvoice(), refusals.notOpen()],
    ['paid', () => paidInvoice(), refusals.alreadyPaid()],
    ['void', () => voidedInvoice(), refusals.notOpen()],
  ])('when the invoice is %s', (_status, make, refusal) => {
    it('rejects', () => {
      expectRefusal(() => paymentFailed(make(), { nextPaymentAttempt: null }, AT, sequentialIds()), refusal);
    });
  });
});

describe('paymentActionRequired', () => {
  it('counts the attempt and emits invoice.payment_action_required', () => {
    const result = paymentActionRequired(openInvoice(), {}, AT, sequentialIds());
    expect(result.state).toMatchObject({ status: 'open', attempted: true, attemptCount: 1 });
    expect(eventTypes(result)).toEqual(['invoice.payment_action_required']);
  });

  it('rejects a paid invoice', () => {
    expectRefusal(
      () => paymentActionRequired(paidInvoice(), {}, AT, sequentialIds()),
      refusals.alreadyPaid(),
    );
  });
});

describe('paymentAttemptRequired', () => {
  it('emits invoice.payment_attempt_required without counting an attempt', () => {
    const open = openInvoice();
    const result = paymentAttemptRequired(open, {}, AT, sequentialIds());
    expect(result.state).toMatchObject({ attempted: false, attemptCount: 0, version: open.version + 1 });
    expect(eventTypes(result)).toEqual(['invoice.payment_attempt_required']);
  });
});

describe('assertCanPay (the /pay request)', () => {
  it('lets drafts, open and uncollectible invoices through', () => {
    expect(() => assertCanPay(draftInvoice())).not.toThrow();
    expect(() => assertCanPay(openInvoice())).not.toThrow();
    expect(() => assertCanPay(uncollectibleInvoice())).not.toThrow();
  });

  describe('when the invoice is paid', () => {
    it('rejects: already paid', () =>
      expectRefusal(() => assertCanPay(paidInvoice()), refusals.alreadyPaid()));
  });

  describe('when the invoice is void', () => {
    it('rejects: not open', () => expectRefusal(() => assertCanPay(voidedInvoice()), refusals.notOpen()));
  });

  describe('when the invoice was deleted', () => {
    it('rejects with resource_missing', () => {
      const deleted = deletedInvoice();
      expectRefusal(() => assertCanPay(deleted), refusals.invoiceMissing(deleted.id));
    });
  });
});
