import {
  assertCanMarkUncollectible,
  assertCanSend,
  assertCanVoid,
  applySend,
  finalize,
  markUncollectible,
  paymentSucceeded,
  refusals,
  send,
  voidInvoice,
} from '../../../workflows/domain/invoice';
import {
  deletedInvoice,
  draftInvoice,
  eventTypes,
  expectRefusal,
  finalizeCommand,
  NOW,
  openInvoice,
  paidInvoice,
  sequentialIds,
  uncollectibleInvoice,
  voidedInvoice,
} from './support';

const AT = NOW + 900;

describe('markUncollectible', () => {
  it('moves an open invoice to uncollectible and stops retries', () => {
    const open = { ...openInvoice(), nextPaymentAttempt: NOW + 50 };
    const marked = markUncollectible(open, {}, AT, sequentialIds());
    expect(marked.state).toMatchObject({
      status: 'uncollectible',
      nextPaymentAttempt: null,
      version: open.version + 1,
    });
    expect(marked.state.statusTransitions.markedUncollectibleAt).toBe(AT);
    expect(eventTypes(marked)).toEqual(['invoice.marked_uncollectible']);
  });

  describe('when the invoice is uncollectible already', () => {
    it('rejects: already marked', () => {
      expectRefusal(
        () => assertCanMarkUncollectible(uncollectibleInvoice()),
        refusals.alreadyUncollectible(),
      );
    });
  });

  describe.each([
    ['draft', () => draftInvoice()],
    ['paid', () => paidInvoice()],
    ['void', () => voidedInvoice()],
  ])('when the invoice is %s', (_status, make) => {
    it('rejects: not open', () => {
      expectRefusal(() => assertCanMarkUncollectible(make()), refusals.notOpen());
    });
  });
});

describe('voidInvoice', () => {
  it('voids an open invoice and leaves its figures as they were', () => {
    const open = openInvoice();
    const voided = voidInvoice(open, {}, AT, sequentialIds());
    expect(voided.state).toMatchObject({ status: 'void', version: open.version + 1, amountPaid: 0 });
    expect(voided.state.statusTransitions.voidedAt).toBe(AT);
    expect(eventTypes(voided)).toEqual(['invoice.voided']);
    expect(voided.balanceTransactions).toEqual([]);
  });

  it('voids an uncollectible invoice', () => {
    expect(voidInvoice(uncollectibleInvoice(), {}, AT, sequentialIds()).state.status).toBe('void');
  });

  it('gives back the credit finalization applied', () => {
    const open = openInvoice({}, -300);
    const voided = voidInvoice(open, {}, AT, sequentialIds());
    expect(voided.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
      ['unapplied_from_invoice', -300],
    ]);
  });

  it('gives back the debt finalization collected', () => {
    const open = openInvoice({}, 400);
    const voided = voidInvoice(open, {}, AT, sequentialIds());
    expect(voided.balanceTransactions.map((t) => [t.type, t.amount])).toEqual([
      ['unapplied_from_invoice', 400],
    ]);
  });

  describe('when the invoice is paid', () => {
    it('rejects: paid invoices cannot be voided', () => {
      expectRefusal(() => assertCanVoid(paidInvoice()), refusals.paidCannotBeVoided());
    });
  });

  describe('when part of it was paid', () => {
    it('rejects: paid payments cannot be voided', () => {
      const partial = paymentSucceeded(openInvoice(), { amount: 100 }, AT, sequentialIds()).state;
      expectRefusal(() => assertCanVoid(partial), refusals.paidCannotBeVoided());
    });
  });

  describe.each([
    ['draft', () => draftInvoice()],
    ['void', () => voidedInvoice()],
  ])('when the invoice is %s', (_status, make) => {
    it('rejects: not open', () => {
      expectRefusal(() => assertCanVoid(make()), refusals.notOpen());
    });
  });

  describe('when the invoice was deleted', () => {
    it('rejects with resource_missing', () => {
      const deleted = deletedInvoice();
      expectRefusal(() => assertCanVoid(deleted), refusals.invoiceMissing(deleted.id));
    });
  });
});

describe('send', () => {
  const sendable = () => openInvoice({ collectionMethod: 'send_invoice', daysUntilDue: 30 });

  it('emits invoice.sent for an open send_invoice invoice and changes nothing else', () => {
    const open = sendable();
    const sent = send(open, {}, AT, sequentialIds());
    expect(sent.state).toEqual({ ...open, version: open.version + 1 });
    expect(eventTypes(sent)).toEqual(['invoice.sent']);
  });

  it('accepts a send_invoice draft, which the caller finalizes before sending', () => {
    const ids = sequentialIds();
    const draft = draftInvoice({ collectionMethod: 'send_invoice', daysUntilDue: 30 });
    expect(() => assertCanSend(draft)).not.toThrow();
    expectRefusal(() => applySend(draft, {}, AT, ids), refusals.notOpen());
    const open = finalize(draft, finalizeCommand(), AT, ids).state;
    expect(eventTypes(applySend(open, {}, AT, ids))).toEqual(['invoice.sent']);
  });

  describe('when the collection method is charge_automatically', () => {
    it('rejects: only send_invoice invoices are sent manually', () => {
      expectRefusal(() => assertCanSend(openInvoice()), refusals.manualSendNeedsSendInvoice());
    });
  });

  describe.each([
    ['paid', () => paymentSucceeded(sendable(), { amount: 1000 }, AT, sequentialIds()).state],
    ['void', () => voidInvoice(sendable(), {}, AT, sequentialIds()).state],
    ['uncollectible', () => markUncollectible(sendable(), {}, AT, sequentialIds()).state],
  ])('when the invoice is %s', (_status, make) => {
    it('rejects: cannot be sent right now', () => {
      expectRefusal(() => assertCanSend(make()), refusals.cannotSend());
    });
  });
});
