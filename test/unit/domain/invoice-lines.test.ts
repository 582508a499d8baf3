import {
  addLines,
  assertCanAddLines,
  assertCanRemoveLines,
  assertCanUpdateLines,
  refusals,
  removeLines,
  updateLines,
  MAX_LINES,
} from '../../../workflows/domain/invoice';
import { computeTotals } from '../../../workflows/domain/totals';
import {
  deletedInvoice,
  draftInvoice,
  eventTypes,
  expectRefusal,
  line,
  NOW,
  openInvoice,
  paidInvoice,
  sequentialIds,
  uncollectibleInvoice,
  voidedInvoice,
} from './support';

const finalizedStates = [
  ['open', () => openInvoice()],
  ['paid', () => paidInvoice()],
  ['uncollectible', () => uncollectibleInvoice()],
  ['void', () => voidedInvoice()],
] as const;

describe('addLines', () => {
  it('appends lines and reports the new totals in invoice.updated', () => {
    const draft = draftInvoice();
    const added = addLines(
      draft,
      { lines: [line({ amount: 500, description: 'Extra' })] },
      NOW + 1,
      sequentialIds(),
    );
    expect(added.state.lines.map((l) => l.amount)).toEqual([1000, 500]);
    expect(computeTotals(added.state).total).toBe(1500);
    expect(added.state.version).toBe(draft.version + 1);
    expect(eventTypes(added)).toEqual(['invoice.updated']);
    expect(added.events[0]?.previousAttributes).toMatchObject({
      amount_due: 1000,
      subtotal: 1000,
      total: 1000,
    });
  });

  it('rejects a line in another currency', () => {
    expectRefusal(
      () => assertCanAddLines(draftInvoice(), { lines: [line({ currency: 'gbp' })] }),
      refusals.currencyMismatch('lines[0][currency]', 'gbp', 'usd'),
    );
  });

  it('rejects going beyond 250 lines', () => {
    const full = draftInvoice({ lines: Array.from({ length: MAX_LINES }, () => line()) });
    expectRefusal(() => assertCanAddLines(full, { lines: [line()] }), refusals.tooManyLines());
  });

  describe.each(finalizedStates)('when the invoice is %s', (_status, make) => {
    it('rejects with invoice_not_editable', () => {
      expectRefusal(() => assertCanAddLines(make(), { lines: [line()] }), refusals.notEditable());
    });
  });

  describe('when the invoice was deleted', () => {
    it('rejects with resource_missing', () => {
      const deleted = deletedInvoice();
      expectRefusal(
        () => assertCanAddLines(deleted, { lines: [line()] }),
        refusals.invoiceMissing(deleted.id),
      );
    });
  });
});

describe('updateLines', () => {
  const withItem = () =>
    draftInvoice({
      lines: [
        line({ id: 'il_a', invoiceItemId: 'ii_a', amount: 1000, quantity: 2, unitAmountDecimal: '500' }),
      ],
    });

  it('re-prices a line when its quantity changes', () => {
    const updated = updateLines(withItem(), { lines: [{ id: 'il_a', quantity: 3 }] }, NOW, sequentialIds());
    expect(updated.state.lines[0]).toMatchObject({ amount: 1500, quantity: 3 });
    expect(updated.invoiceItemChanges).toEqual([{ invoiceItemId: 'ii_a', lineId: 'il_a', action: 'update' }]);
    expect(eventTypes(updated)).toEqual(['invoice.updated']);
  });

  it('re-prices from the exact split when no unit price was stored', () => {
    const draft = draftInvoice({ lines: [line({ id: 'il_b', amount: 900, quantity: 3 })] });
    const { state } = updateLines(draft, { lines: [{ id: 'il_b', quantity: 4 }] }, NOW, sequentialIds());
    expect(state.lines[0]).toMatchObject({ amount: 1200, quantity: 4 });
  });

  it('takes an explicit amount over re-pricing', () => {
    const { state } = updateLines(
      withItem(),
      { lines: [{ id: 'il_a', quantity: 3, amount: 42 }] },
      NOW,
      sequentialIds(),
    );
    expect(state.lines[0]).toMatchObject({ amount: 42, quantity: 3 });
  });

  it('changes descriptive fields without touching the amount', () => {
    const { state } = updateLines(
      withItem(),
      { lines: [{ id: 'il_a', description: 'Renamed' }] },
      NOW,
      sequentialIds(),
    );
    expect(state.lines[0]).toMatchObject({ amount: 1000, description: 'Renamed' });
  });

  it('rejects a quantity that prices the line beyond eight digits', () => {
    expectRefusal(
      () => assertCanUpdateLines(withItem(), { lines: [{ id: 'il_a', quantity: 1_000_000 }] }),
      refusals.amountTooLarge('lines[0][amount]'),
    );
  });

  it('rejects an unknown line with resource_missing naming the parameter', () => {
    expectRefusal(
      () => assertCanUpdateLines(withItem(), { lines: [{ id: 'il_nope', quantity: 1 }] }),
      refusals.lineMissing('il_nope', 'lines[0][id]'),
    );
  });

  it('rejects a malformed unit_amount_decimal', () => {
    expectRefusal(
      () => assertCanUpdateLines(withItem(), { lines: [{ id: 'il_a', unitAmountDecimal: '1e2' }] }),
      refusals.invalidDecimal('lines[0][unit_amount_decimal]', '1e2'),
    );
  });

  describe.each(finalizedStates)('when the invoice is %s', (_status, make) => {
    it('rejects with invoice_not_editable', () => {
      const state = make();
      expectRefusal(
        () => assertCanUpdateLines(state, { lines: [{ id: state.lines[0]?.id ?? 'il_x', quantity: 2 }] }),
        refusals.notEditable(),
      );
    });
  });
});

describe('removeLines', () => {
  const draft = () =>
    draftInvoice({
      lines: [
        line({ id: 'il_a', invoiceItemId: 'ii_a', amount: 100 }),
        line({ id: 'il_b', invoiceItemId: 'ii_b', amount: 200 }),
        line({ id: 'il_c', subscriptionItemId: 'si_c', amount: 300 }),
      ],
    });

  it('removes lines and reports what happens to their invoice items', () => {
    const removed = removeLines(
      draft(),
      {
        lines: [
          { id: 'il_a', behavior: 'delete' },
          { id: 'il_b', behavior: 'unassign' },
          { id: 'il_c', behavior: 'delete' },
        ],
      },
      NOW,
      sequentialIds(),
    );
    expect(removed.state.lines).toEqual([]);
    expect(removed.invoiceItemChanges).toEqual([
      { invoiceItemId: 'ii_a', lineId: 'il_a', action: 'delete' },
      { invoiceItemId: 'ii_b', lineId: 'il_b', action: 'unassign' },
    ]);
    expect(removed.events[0]?.previousAttributes).toMatchObject({ total: 600 });
  });

  it('rejects an unknown line', () => {
    expectRefusal(
      () =>
        assertCanRemoveLines(draft(), {
          lines: [
            { id: 'il_a', behavior: 'delete' },
            { id: 'il_z', behavior: 'delete' },
          ],
        }),
      refusals.lineMissing('il_z', 'lines[1][id]'),
    );
  });

  describe.each(finalizedStates)('when the invoice is %s', (_status, make) => {
    it('rejects with invoice_not_editable', () => {
      const state = make();
      expectRefusal(
        () =>
          assertCanRemoveLines(state, { lines: [{ id: state.lines[0]?.id ?? 'il_x', behavior: 'delete' }] }),
        refusals.notEditable(),
      );
    });
  });
});
