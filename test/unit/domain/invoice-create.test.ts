import { assertCanCreate, createInvoice, refusals, MAX_LINES } from '../../../workflows/domain/invoice';
import { createCommand, eventTypes, expectRefusal, line, NOW, sequentialIds } from './support';

describe('createInvoice', () => {
  describe('with only the required parameters', () => {
    const created = createInvoice(createCommand({ lines: [] }), NOW, sequentialIds());

    it('makes a manual draft with Stripe defaults', () => {
      expect(created.state).toMatchObject({
        id: 'in_test',
        status: 'draft',
        deleted: false,
        billingReason: 'manual',
        collectionMethod: 'charge_automatically',
        autoAdvance: false,
        automaticallyFinalizesAt: null,
        nextPaymentAttempt: null,
        number: null,
        dueDate: null,
        effectiveAt: null,
        endingBalance: null,
        startingBalance: 0,
        attempted: false,
        attemptCount: 0,
        periodStart: NOW,
        periodEnd: NOW,
        created: NOW,
        version: 1,
        metadata: {},
      });
    });

    it('emits invoice.created', () => {
      expect(eventTypes(created)).toEqual(['invoice.created']);
      expect(created.events[0]).toMatchObject({ created: NOW });
      expect(created.events[0]?.id).toMatch(/^evt_/);
    });

    it('records no balance or invoice item effects', () => {
      expect(created.balanceTransactions).toEqual([]);
      expect(created.invoiceItemChanges).toEqual([]);
    });
  });

  it('mints an in_ id when none is given', () => {
    const { state } = createInvoice(createCommand({ invoiceId: undefined }), NOW, sequentialIds());
    expect(state.id).toMatch(/^in_/);
  });

  it('lower-cases the currency', () => {
    expect(createInvoice(createCommand({ currency: 'EUR' }), NOW, sequentialIds()).state.currency).toBe(
      'eur',
    );
  });

  describe('lines', () => {
    it('builds lines with il_ ids and defaults', () => {
      const { state } = createInvoice(
        createCommand({ lines: [line({ amount: 700 })] }),
        NOW,
        sequentialIds(),
      );
      expect(state.lines).toEqual([
        expect.objectContaining({
          id: expect.stringMatching(/^il_/),
          amount: 700,
          currency: 'usd',
          quantity: 1,
          discountable: true,
          proration: false,
          period: { start: NOW, end: NOW },
          metadata: {},
        }),
      ]);
    });

    it('keeps the ids and invoice items of claimed lines', () => {
      const claimed = line({ id: 'il_claimed', invoiceItemId: 'ii_1', amount: 300 });
      const { state } = createInvoice(createCommand({ lines: [claimed] }), NOW, sequentialIds());
      expect(state.lines[0]).toMatchObject({ id: 'il_claimed', invoiceItemId: 'ii_1' });
    });

    it('prices a line from unit_amount_decimal × quantity', () => {
      const priced = { unitAmountDecimal: '0.05', quantity: 30 };
      const { state } = createInvoice(createCommand({ lines: [priced] }), NOW, sequentialIds());
      expect(state.lines[0]).toMatchObject({ amount: 2, quantity: 30, unitAmountDecimal: '0.05' });
    });
  });

  describe('with auto_advance', () => {
    it('schedules finalization and the first attempt an hour after creation', () => {
      const { state } = createInvoice(createCommand({ autoAdvance: true }), NOW, sequentialIds());
      expect(state).toMatchObject({ automaticallyFinalizesAt: NOW + 3600, nextPaymentAttempt: NOW + 3600 });
    });

    it('schedules no payment attempt for send_invoice', () => {
      const command = createCommand({
        autoAdvance: true,
        collectionMethod: 'send_invoice',
        daysUntilDue: 30,
      });
      const { state } = createInvoice(command, NOW, sequentialIds());
      expect(state).toMatchObject({ automaticallyFinalizesAt: NOW + 3600, nextPaymentAttempt: null });
    });

    it('turns on with an explicit finalization time', () => {
      const { state } = createInvoice(
        createCommand({ automaticallyFinalizesAt: NOW + 86_400 }),
        NOW,
        sequentialIds(),
      );
      expect(state).toMatchObject({ autoAdvance: true, automaticallyFinalizesAt: NOW + 86_400 });
    });
  });

  describe('with send_invoice', () => {
    it('derives due_date from days_until_due', () => {
      const command = createCommand({ collectionMethod: 'send_invoice', daysUntilDue: 30 });
      expect(createInvoice(command, NOW, sequentialIds()).state).toMatchObject({
        daysUntilDue: 30,
        dueDate: NOW + 30 * 86_400,
      });
    });

    it('keeps an explicit due_date', () => {
      const command = createCommand({ collectionMethod: 'send_invoice', dueDate: NOW + 5 });
      expect(createInvoice(command, NOW, sequentialIds()).state).toMatchObject({
        daysUntilDue: null,
        dueDate: NOW + 5,
      });
    });
  });

  describe('refusals', () => {
    it('rejects an unsupported currency', () => {
      expectRefusal(
        () => assertCanCreate(createCommand({ currency: 'xyz' })),
        refusals.invalidCurrency('xyz'),
      );
    });

    it('rejects send_invoice without a due date', () => {
      expectRefusal(
        () => assertCanCreate(createCommand({ collectionMethod: 'send_invoice' })),
        refusals.dueDateRequired(),
      );
    });

    it('rejects a due date on charge_automatically', () => {
      expectRefusal(() => assertCanCreate(createCommand({ daysUntilDue: 30 })), refusals.dueDateNotAllowed());
      expectRefusal(() => assertCanCreate(createCommand({ dueDate: NOW })), refusals.dueDateNotAllowed());
    });

    it('rejects both days_until_due and due_date', () => {
      const command = createCommand({ collectionMethod: 'send_invoice', daysUntilDue: 3, dueDate: NOW });
      expectRefusal(() => assertCanCreate(command), refusals.dueDateExclusive());
    });

    it('rejects a line in another currency', () => {
      const command = createCommand({ lines: [line({ currency: 'eur' })] });
      expectRefusal(
        () => assertCanCreate(command),
        refusals.currencyMismatch('lines[0][currency]', 'eur', 'usd'),
      );
    });

    it('rejects a line without any amount', () => {
      const command = createCommand({ lines: [{ description: 'nothing' }] });
      expectRefusal(() => assertCanCreate(command), refusals.amountRequired('lines[0][amount]'));
    });

    it('rejects a fractional amount', () => {
      const command = createCommand({ lines: [line({ amount: 10.5 })] });
      expectRefusal(() => assertCanCreate(command), refusals.invalidInteger('lines[0][amount]', 10.5));
    });

    it('rejects a line amount beyond eight digits', () => {
      const command = createCommand({ lines: [line({ amount: 100_000_000 })] });
      expectRefusal(() => assertCanCreate(command), refusals.amountTooLarge('lines[0][amount]'));
      const priced = createCommand({ lines: [{ unitAmountDecimal: '99999999', quantity: 2 }] });
      expectRefusal(() => assertCanCreate(priced), refusals.amountTooLarge('lines[0][amount]'));
    });

    it('rejects more than 250 lines', () => {
      const lines = Array.from({ length: MAX_LINES + 1 }, () => line());
      expectRefusal(() => assertCanCreate(createCommand({ lines })), refusals.tooManyLines());
    });

    it('refuses through createInvoice too, without producing state', () => {
      expect(() => createInvoice(createCommand({ currency: 'xyz' }), NOW, sequentialIds())).toThrow();
    });
  });
});
