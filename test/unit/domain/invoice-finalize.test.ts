import { assertCanFinalize, finalizationFailed, finalize, refusals } from '../../../workflows/domain/invoice';
import { computeTotals } from '../../../workflows/domain/totals';
import {
  customerSnapshot,
  deletedInvoice,
  draftInvoice,
  eventTypes,
  expectRefusal,
  finalizeCommand,
  line,
  NOW,
  openInvoice,
  paidInvoice,
  sequentialIds,
  uncollectibleInvoice,
  voidedInvoice,
} from './support';

const AT = NOW + 100;

describe('finalize', () => {
  describe('a draft with an amount due', () => {
    const draft = draftInvoice();
    const finalized = finalize(draft, finalizeCommand({ number: 'ACME-0007' }), AT, sequentialIds());

    it('opens it with its number and finalization time', () => {
      expect(finalized.state).toMatchObject({
        status: 'open',
        number: 'ACME-0007',
        startingBalance: 0,
        endingBalance: 0,
        effectiveAt: AT,
        automaticallyFinalizesAt: null,
        nextPaymentAttempt: null,
        attempted: false,
        version: draft.version + 1,
      });
      expect(finalized.state.statusTransitions).toEqual({
        finalizedAt: AT,
        markedUncollectibleAt: null,
        paidAt: null,
        voidedAt: null,
      });
    });

    it('emits only invoice.finalized and touches no balance', () => {
      expect(eventTypes(finalized)).toEqual(['invoice.finalized']);
      expect(finalized.balanceTransactions).toEqual([]);
    });
  });

  it('keeps an effective_at set on the draft', () => {
    const draft = draftInvoice({ effectiveAt: NOW - 86_400 });
    expect(finalize(draft, finalizeCommand(), AT, sequentialIds()).state.effectiveAt).toBe(NOW - 86_400);
  });

  it('freezes the customer details it is given', () => {
    const fresh = customerSnapshot({ name: 'Jenny Renamed' });
    const { state } = finalize(draftInvoice(), finalizeCommand({ customer: fresh }), AT, sequentialIds());
    expect(state.customer.name).toBe('Jenny Renamed');
  });

  it('counts days_until_due from finalization for send_invoice', () => {
    const draft = draftInvoice({ collectionMethod: 'send_invoice', daysUntilDue: 30 });
    expect(finalize(draft, finalizeCommand(), AT, sequentialIds()).state.dueDate).toBe(AT + 30 * 86_400);
  });

  it('keeps an explicit due_date', () => {
    const draft = draftInvoice({ collectionMethod: 'send_invoice', dueDate: NOW + 77 });
    expect(finalize(draft, finalizeCommand(), AT, sequentialIds()).state.dueDate).toBe(NOW + 77);
  });

  it('makes an auto_advance charge_automatically invoice due for an attempt now', () => {
    const draft = draftInvoice({ autoAdvance: true });
    expect(finalize(draft, finalizeCommand(), AT, sequentialIds()).state.nextPaymentAttempt).toBe(AT);
  });

  it('takes auto_advance from the finalize request', () => {
    const { state } = finalize(draftInvoice(), finalizeCommand({ autoAdvance: true }), AT, sequentialIds());
    expect(state).toMatchObject({ autoAdvance: true, nextPaymentAttempt: AT });
  });

  it('clears a previous finalization error', () => {
    const ids = sequentialIds();
    const failed = finalizationFailed(
      draftInvoice(),
      { error: { type: 'invalid_request_error', code: null, message: 'nope' } },
      NOW,
      ids,
    ).state;
    expect(finalize(failed, finalizeCommand(), AT, ids).state.lastFinalizationError).toBeNull();
  });

  describe('with customer credit', () => {
    it('applies part of it and records applied_to_invoice', () => {
      const finalized = finalize(
        draftInvoice(),
        finalizeCommand({ customerBalance: -300 }),
        AT,
        sequentialIds(),
      );
      expect(computeTotals(finalized.state)).toMatchObject({
        amountDue: 700,
        startingBalance: -300,
        endingBalance: 0,
      });
      expect(finalized.balanceTransactions).toEqual([
        expect.objectContaining({
          type: 'applied_to_invoice',
          amount: 300,
          customerId: 'cus_test',
          invoiceId: 'in_test',
        }),
      ]);
      expect(finalized.balanceTransactions[0]?.id).toMatch(/^cbtxn_/);
    });

    describe('larger than the total', () => {
      const finalized = finalize(
        draftInvoice(),
        finalizeCommand({ customerBalance: -5000 }),
        AT,
        sequentialIds(),
      );

      it('is paid at once, the rest of the credit stays', () => {
        expect(finalized.state).toMatchObject({
          status: 'paid',
          attempted: true,
          attemptCount: 0,
          endingBalance: -4000,
        });
        expect(finalized.state.statusTransitions.paidAt).toBe(AT);
        expect(computeTotals(finalized.state)).toMatchObject({
          amountDue: 0,
          amountPaid: 0,
          amountRemaining: 0,
        });
      });

      it('emits finalized, paid and payment_succeeded', () => {
        expect(eventTypes(finalized)).toEqual([
          'invoice.finalized',
          'invoice.paid',
          'invoice.payment_succeeded',
        ]);
      });

      it('takes only what the total needs from the balance', () => {
        expect(finalized.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
          ['applied_to_invoice', 1000],
        ]);
      });
    });
  });

  describe('with a positive balance (the customer owes)', () => {
    it('adds it to amount_due and empties the balance', () => {
      const finalized = finalize(
        draftInvoice(),
        finalizeCommand({ customerBalance: 250 }),
        AT,
        sequentialIds(),
      );
      expect(computeTotals(finalized.state)).toMatchObject({ amountDue: 1250, endingBalance: 0 });
      expect(finalized.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
        ['applied_to_invoice', -250],
      ]);
    });

    it('collects it even on an empty invoice', () => {
      const finalized = finalize(
        draftInvoice({ lines: [] }),
        finalizeCommand({ customerBalance: 800 }),
        AT,
        sequentialIds(),
      );
      expect(finalized.state.status).toBe('open');
      expect(computeTotals(finalized.state).amountDue).toBe(800);
    });
  });

  describe('below the minimum charge', () => {
    const draft = draftInvoice({ lines: [line({ amount: 30 })] });
    const finalized = finalize(draft, finalizeCommand(), AT, sequentialIds());

    it('is paid at once and carries the amount to the customer balance', () => {
      expect(finalized.state.status).toBe('paid');
      expect(computeTotals(finalized.state)).toMatchObject({ total: 30, amountDue: 0, endingBalance: 30 });
      expect(finalized.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
        ['invoice_too_small', 30],
      ]);
      expect(eventTypes(finalized)).toEqual([
        'invoice.finalized',
        'invoice.paid',
        'invoice.payment_succeeded',
      ]);
    });

    it('uses the currency minimum (gbp 30 is chargeable, 29 is not)', () => {
      const gbp = (amount: number) =>
        finalize(
          draftInvoice({ currency: 'gbp', lines: [line({ amount })] }),
          finalizeCommand(),
          AT,
          sequentialIds(),
        );
      expect(gbp(30).state.status).toBe('open');
      expect(gbp(29).state.status).toBe('paid');
    });

    it('applies to what credit leaves due', () => {
      const result = finalize(
        draftInvoice(),
        finalizeCommand({ customerBalance: -990 }),
        AT,
        sequentialIds(),
      );
      expect(result.state.status).toBe('paid');
      expect(result.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
        ['applied_to_invoice', 990],
        ['invoice_too_small', 10],
      ]);
    });
  });

  describe('an empty invoice', () => {
    it('is paid at once with nothing to record', () => {
      const finalized = finalize(draftInvoice({ lines: [] }), finalizeCommand(), AT, sequentialIds());
      expect(finalized.state.status).toBe('paid');
      expect(finalized.balanceTransactions).toEqual([]);
    });
  });

  describe('a credit invoice (negative total)', () => {
    it('is paid at once and credits the customer', () => {
      const draft = draftInvoice({ lines: [line({ amount: -700 })] });
      const finalized = finalize(draft, finalizeCommand({ customerBalance: -100 }), AT, sequentialIds());
      expect(finalized.state).toMatchObject({ status: 'paid', endingBalance: -800 });
      expect(finalized.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
        ['applied_to_invoice', -700],
      ]);
    });
  });

  describe.each([
    ['open', () => openInvoice()],
    ['paid', () => paidInvoice()],
    ['uncollectible', () => uncollectibleInvoice()],
    ['void', () => voidedInvoice()],
  ])('when the invoice is %s', (_status, make) => {
    it('rejects: a non-draft cannot be re-finalized', () => {
      expectRefusal(() => assertCanFinalize(make()), refusals.alreadyFinalized());
    });
  });

  describe('when the invoice was deleted', () => {
    it('rejects with resource_missing', () => {
      const deleted = deletedInvoice();
      expectRefusal(() => assertCanFinalize(deleted), refusals.invoiceMissing(deleted.id));
    });
  });

  describe('twice', () => {
    it('refuses the second time, so the balance is never applied twice', () => {
      const ids = sequentialIds();
      const once = finalize(draftInvoice(), finalizeCommand({ customerBalance: -300 }), AT, ids).state;
      expectRefusal(
        () => finalize(once, finalizeCommand({ customerBalance: -300 }), AT, ids),
        refusals.alreadyFinalized(),
      );
    });
  });
});

describe('finalizationFailed', () => {
  const error = {
    type: 'invalid_request_error' as const,
    code: 'customer_tax_location_invalid',
    message: 'bad',
  };

  it('records the error on the draft and emits invoice.finalization_failed', () => {
    const draft = draftInvoice();
    const failed = finalizationFailed(draft, { error }, NOW, sequentialIds());
    expect(failed.state).toMatchObject({
      status: 'draft',
      lastFinalizationError: error,
      version: draft.version + 1,
    });
    expect(eventTypes(failed)).toEqual(['invoice.finalization_failed']);
  });

  it('rejects on a finalized invoice', () => {
    expectRefusal(
      () => finalizationFailed(openInvoice(), { error }, NOW, sequentialIds()),
      refusals.alreadyFinalized(),
    );
  });
});
