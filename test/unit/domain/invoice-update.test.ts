import {
  applyMetadataUpdate,
  assertCanDelete,
  assertCanUpdate,
  deleteDraft,
  refusals,
  updateInvoice,
} from '../../../workflows/domain/invoice';
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

describe('updateInvoice', () => {
  describe('on a draft', () => {
    it('changes the given fields and reports their previous values', () => {
      const draft = draftInvoice({ description: 'old', metadata: { keep: 'yes', gone: 'soon' } });
      const updated = updateInvoice(
        draft,
        { description: 'new', footer: 'Thanks', metadata: { gone: '', added: 'x' } },
        NOW + 5,
        sequentialIds(),
      );
      expect(updated.state).toMatchObject({
        description: 'new',
        footer: 'Thanks',
        metadata: { keep: 'yes', added: 'x' },
        version: draft.version + 1,
      });
      expect(eventTypes(updated)).toEqual(['invoice.updated']);
      expect(updated.events[0]?.previousAttributes).toEqual({
        description: 'old',
        footer: null,
        metadata: { gone: 'soon', added: null },
      });
    });

    it('emits nothing when nothing changed, but still moves the version', () => {
      const draft = draftInvoice({ description: 'same' });
      const updated = updateInvoice(draft, { description: 'same' }, NOW, sequentialIds());
      expect(updated.events).toEqual([]);
      expect(updated.state.version).toBe(draft.version + 1);
    });

    it('switches to send_invoice with a due date', () => {
      const updated = updateInvoice(
        draftInvoice(),
        { collectionMethod: 'send_invoice', daysUntilDue: 10 },
        NOW,
        sequentialIds(),
      );
      expect(updated.state).toMatchObject({ collectionMethod: 'send_invoice', dueDate: NOW + 10 * 86_400 });
      expect(updated.events[0]?.previousAttributes).toMatchObject({
        collection_method: 'charge_automatically',
        due_date: null,
      });
    });

    it('clears due terms when switching back to charge_automatically', () => {
      const draft = draftInvoice({ collectionMethod: 'send_invoice', daysUntilDue: 10 });
      const { state } = updateInvoice(
        draft,
        { collectionMethod: 'charge_automatically' },
        NOW,
        sequentialIds(),
      );
      expect(state).toMatchObject({ daysUntilDue: null, dueDate: null });
    });

    it('schedules and unschedules automatic finalization with auto_advance', () => {
      const on = updateInvoice(draftInvoice(), { autoAdvance: true }, NOW + 100, sequentialIds()).state;
      expect(on).toMatchObject({ automaticallyFinalizesAt: NOW + 3600, nextPaymentAttempt: NOW + 3600 });
      const off = updateInvoice(on, { autoAdvance: false }, NOW + 200, sequentialIds()).state;
      expect(off).toMatchObject({ automaticallyFinalizesAt: null, nextPaymentAttempt: null });
    });

    it('takes an explicit finalization time', () => {
      const { state } = updateInvoice(
        draftInvoice(),
        { automaticallyFinalizesAt: NOW + 999 },
        NOW,
        sequentialIds(),
      );
      expect(state).toMatchObject({ autoAdvance: true, automaticallyFinalizesAt: NOW + 999 });
    });

    it('rejects send_invoice without a due date', () => {
      expectRefusal(
        () => assertCanUpdate(draftInvoice(), { collectionMethod: 'send_invoice' }),
        refusals.dueDateRequired(),
      );
    });

    it('rejects a due date on charge_automatically', () => {
      expectRefusal(() => assertCanUpdate(draftInvoice(), { daysUntilDue: 3 }), refusals.dueDateNotAllowed());
    });
  });

  describe.each([
    ['open', () => openInvoice()],
    ['paid', () => paidInvoice()],
    ['uncollectible', () => uncollectibleInvoice()],
    ['void', () => voidedInvoice()],
  ])('when the invoice is %s', (_status, make) => {
    it('accepts metadata', () => {
      const state = make();
      const updated = updateInvoice(state, { metadata: { order: '42' } }, NOW, sequentialIds());
      expect(updated.state.metadata).toEqual({ order: '42' });
      expect(updated.events[0]?.previousAttributes).toEqual({ metadata: { order: null } });
    });

    it('accepts auto_advance and default_payment_method', () => {
      const updated = updateInvoice(
        make(),
        { autoAdvance: false, defaultPaymentMethod: 'pm_1' },
        NOW,
        sequentialIds(),
      );
      expect(updated.state).toMatchObject({ autoAdvance: false, defaultPaymentMethod: 'pm_1' });
    });

    it.each([
      [{ description: 'x' }, 'description'],
      [{ collectionMethod: 'send_invoice' as const }, 'collection_method'],
      [{ footer: 'x' }, 'footer'],
      [{ dueDate: NOW }, 'due_date'],
      [{ customFields: [] }, 'custom_fields'],
    ])('rejects %j naming the parameter', (command, param) => {
      expectRefusal(() => assertCanUpdate(make(), command), refusals.finalizedUpdate(param));
    });
  });

  it('stops automatic retries when auto_advance is turned off on an open invoice', () => {
    const open = { ...openInvoice(), nextPaymentAttempt: NOW + 50 };
    expect(
      updateInvoice(open, { autoAdvance: false }, NOW, sequentialIds()).state.nextPaymentAttempt,
    ).toBeNull();
  });

  describe('when the invoice was deleted', () => {
    it('rejects with resource_missing', () => {
      const deleted = deletedInvoice();
      expectRefusal(
        () => assertCanUpdate(deleted, { description: 'x' }),
        refusals.invoiceMissing(deleted.id),
      );
    });
  });
});

describe('applyMetadataUpdate', () => {
  it('merges, unsets keys with an empty value, and clears everything with null', () => {
    expect(applyMetadataUpdate({ a: '1' }, { b: '2' })).toEqual({ a: '1', b: '2' });
    expect(applyMetadataUpdate({ a: '1', b: '2' }, { a: '', b: null })).toEqual({});
    expect(applyMetadataUpdate({ a: '1' }, null)).toEqual({});
    expect(applyMetadataUpdate({ a: '1' }, undefined)).toEqual({ a: '1' });
  });
});

describe('deleteDraft', () => {
  it('deletes a draft and emits invoice.deleted', () => {
    const draft = draftInvoice();
    const deleted = deleteDraft(draft, {}, NOW, sequentialIds());
    expect(deleted.state).toMatchObject({ deleted: true, version: draft.version + 1 });
    expect(eventTypes(deleted)).toEqual(['invoice.deleted']);
    expect(deleted.invoiceItemChanges).toEqual([]);
  });

  describe.each([
    ['open', () => openInvoice()],
    ['paid', () => paidInvoice()],
    ['uncollectible', () => uncollectibleInvoice()],
    ['void', () => voidedInvoice()],
  ])('when the invoice is %s', (_status, make) => {
    it('rejects: only drafts can be deleted', () => {
      expectRefusal(() => assertCanDelete(make()), refusals.onlyDraftsDeletable());
    });
  });

  describe('when the draft belongs to a subscription', () => {
    it('rejects', () => {
      const draft = draftInvoice({ subscriptionId: 'sub_1', billingReason: 'subscription_cycle' });
      expectRefusal(() => assertCanDelete(draft), refusals.subscriptionDraftNotDeletable());
    });
  });

  describe('when the invoice was already deleted', () => {
    it('rejects with resource_missing', () => {
      const deleted = deletedInvoice();
      expectRefusal(
        () => deleteDraft(deleted, {}, NOW, sequentialIds()),
        refusals.invoiceMissing(deleted.id),
      );
    });
  });
});
