import { invalidRequest } from '../../../workflows/domain/errors';
import { addLines, buildLine, deleteDraft, finalize, refusals } from '../../../workflows/domain/invoice';
import {
  applyItemUpdate,
  assertItemUpdate,
  itemFromLine,
  itemRowsUnchanged,
  lineChangesFromUpdate,
  lineIdForItem,
  lineInputFromItem,
  newInvoiceItem,
  type InvoiceItemRecord,
  type NewInvoiceItemInput,
} from '../../../workflows/domain/invoice-item';
import { renderDeletedInvoiceItem, renderInvoiceItem } from '../../../workflows/domain/render/invoice-item';
import { computeTotals } from '../../../workflows/domain/totals';
import { stripeShapeProblems } from '../../support/stripe-shape';
import { draftInvoice, expectRefusal, finalizeCommand, NOW, sequentialIds } from './support';

function input(overrides: Partial<NewInvoiceItemInput> = {}): NewInvoiceItemInput {
  return {
    id: 'ii_000000000000000000000001',
    accountId: 'acct_test',
    customerId: 'cus_test',
    invoiceId: null,
    currency: 'usd',
    amount: 1000,
    ...overrides,
  };
}

function pendingItem(overrides: Partial<NewInvoiceItemInput> = {}): InvoiceItemRecord {
  return newInvoiceItem(input(overrides), NOW);
}

describe('newInvoiceItem', () => {
  it('makes a pending item with Stripe defaults', () => {
    expect(pendingItem({ description: 'Setup fee' })).toMatchObject({
      invoiceId: null,
      lineId: null,
      amount: 1000,
      currency: 'usd',
      quantity: 1,
      unitAmountDecimal: null,
      period: { start: NOW, end: NOW },
      discountable: true,
      proration: false,
      metadata: {},
      date: NOW,
      deleted: false,
    });
  });

  it('prices unit_amount_decimal × quantity, rounding once', () => {
    const item = pendingItem({ amount: undefined, unitAmountDecimal: '0.05', quantity: 30 });
    expect(item).toMatchObject({ amount: 2, unitAmountDecimal: '0.05', quantity: 30 });
  });

  it('makes negative items not discountable by default (Stripe: credits are not discounted)', () => {
    expect(pendingItem({ amount: -500 }).discountable).toBe(false);
    expect(pendingItem({ amount: -500, discountable: true }).discountable).toBe(true);
  });

  it('normalizes the currency and names the line it will be on an invoice', () => {
    const item = pendingItem({ currency: 'EUR', invoiceId: 'in_1' });
    expect(item.currency).toBe('eur');
    expect(item.lineId).toBe('il_000000000000000000000001');
  });

  describe('refuses', () => {
    it('both amount and unit_amount_decimal', () => {
      expectRefusal(
        () => pendingItem({ unitAmountDecimal: '10' }),
        invalidRequest(
          'You may only specify one of these parameters: amount, unit_amount_decimal.',
          'parameters_exclusive',
          'amount',
        ),
      );
    });

    it('neither amount nor unit_amount_decimal', () => {
      expectRefusal(() => pendingItem({ amount: undefined }), refusals.amountRequired('amount'));
    });

    it('a negative quantity', () => {
      expectRefusal(() => pendingItem({ quantity: -1 }), refusals.invalidInteger('quantity', -1));
    });

    it('an unsupported currency', () => {
      expectRefusal(() => pendingItem({ currency: 'zzz' }), refusals.invalidCurrency('zzz'));
    });

    it('an amount over eight digits', () => {
      expectRefusal(() => pendingItem({ amount: 100_000_000 }), refusals.amountTooLarge('amount'));
      expect(pendingItem({ amount: -99_999_999 }).amount).toBe(-99_999_999);
    });

    it('a unit price whose total is over eight digits, naming unit_amount_decimal', () => {
      expectRefusal(
        () => pendingItem({ amount: undefined, unitAmountDecimal: '1000000', quantity: 1000 }),
        refusals.amountTooLarge('unit_amount_decimal'),
      );
    });

    it('a period that ends before it starts', () => {
      const refusal = () => pendingItem({ period: { start: NOW, end: NOW - 1 } });
      expect(refusal).toThrow(
        expect.objectContaining({ data: expect.objectContaining({ param: 'period[end]' }) }),
      );
    });
  });
});

describe('applyItemUpdate', () => {
  it('re-prices on a new quantity from the unit amount', () => {
    const item = pendingItem({ amount: undefined, unitAmountDecimal: '250', quantity: 2 });
    expect(applyItemUpdate(item, { quantity: 3 })).toMatchObject({ amount: 750, quantity: 3 });
  });

  it('re-prices an amount-priced item from its exact split', () => {
    const item = pendingItem({ amount: 1000, quantity: 2 });
    expect(applyItemUpdate(item, { quantity: 5 })).toMatchObject({ amount: 2500, quantity: 5 });
  });

  it('takes an explicit amount and drops the unit amount it no longer matches', () => {
    const item = pendingItem({ amount: undefined, unitAmountDecimal: '250', quantity: 2 });
    expect(applyItemUpdate(item, { amount: 999 })).toMatchObject({ amount: 999, unitAmountDecimal: null });
  });

  it('changes the other fields and keeps the rest', () => {
    const item = pendingItem({ description: 'Old', metadata: { a: '1' } });
    const next = applyItemUpdate(item, { description: null, discountable: false, metadata: { b: '2' } });
    expect(next).toMatchObject({
      description: null,
      discountable: false,
      metadata: { b: '2' },
      amount: 1000,
    });
    expect(next.id).toBe(item.id);
  });

  it('refuses amount with unit_amount_decimal, and a total over eight digits', () => {
    expectRefusal(
      () => applyItemUpdate(pendingItem(), { amount: 1, unitAmountDecimal: '1' }),
      invalidRequest(
        'You may only specify one of these parameters: amount, unit_amount_decimal.',
        'parameters_exclusive',
        'amount',
      ),
    );
    expectRefusal(
      () => applyItemUpdate(pendingItem({ amount: 99_999_999 }), { quantity: 2 }),
      refusals.amountTooLarge('quantity'),
    );
    expectRefusal(() => assertItemUpdate({ amount: -100_000_000 }), refusals.amountTooLarge('amount'));
  });
});

describe('lineChangesFromUpdate', () => {
  it('carries only what the caller sent', () => {
    expect(lineChangesFromUpdate({ amount: 5, description: undefined, metadata: { k: 'v' } })).toEqual({
      amount: 5,
      metadata: { k: 'v' },
    });
  });
});

describe('an item as an invoice line', () => {
  it('derives a stable line id from the item id', () => {
    expect(lineIdForItem('ii_abc')).toBe('il_abc');
  });

  it('becomes a line with the same id, amount and item link, and comes back unchanged', () => {
    const draft = draftInvoice({ lines: [] });
    const item = pendingItem({
      amount: undefined,
      unitAmountDecimal: '12.5',
      quantity: 3,
      description: 'Hours',
    });
    const added = addLines(draft, { lines: [lineInputFromItem(item)] }, NOW + 5, sequentialIds());
    const [line] = added.state.lines;
    expect(line).toMatchObject({
      id: lineIdForItem(item.id),
      invoiceItemId: item.id,
      amount: 38,
      quantity: 3,
      unitAmountDecimal: '12.5',
      description: 'Hours',
      period: item.period,
    });
    expect(computeTotals(added.state).total).toBe(38);
    const back = itemFromLine(line!, added.state, item.date);
    expect(back).toEqual({ ...item, invoiceId: draft.id, lineId: lineIdForItem(item.id) });
  });

  it('is deleted with a deleted draft', () => {
    const state = { ...draftInvoice({ lines: [] }), deleted: true };
    const line = buildLine(lineInputFromItem(pendingItem()), 'usd', NOW, sequentialIds());
    expect(itemFromLine(line, state, NOW).deleted).toBe(true);
  });

  it('refuses a line that has no invoice item (a programming error)', () => {
    const line = buildLine({ amount: 1 }, 'usd', NOW, sequentialIds());
    expect(() => itemFromLine(line, draftInvoice(), NOW)).toThrow(Error);
  });
});

describe('renderInvoiceItem', () => {
  it("matches the stripe package's InvoiceItem type", () => {
    const body = renderInvoiceItem(pendingItem({ metadata: { order: '1' } }));
    expect(stripeShapeProblems(body)).toEqual([]);
    expect(body).toMatchObject({
      object: 'invoiceitem',
      customer: 'cus_test',
      invoice: null,
      quantity_decimal: '1',
      pricing: { type: 'price_details', unit_amount_decimal: '1000' },
      parent: null,
      livemode: false,
    });
  });

  it('shows the unit amount it was priced with', () => {
    const body = renderInvoiceItem(pendingItem({ amount: undefined, unitAmountDecimal: '0.5', quantity: 3 }));
    expect(body.pricing?.unit_amount_decimal).toBe('0.5');
    expect(body.amount).toBe(2);
  });

  it('renders a deleted item as Stripe does', () => {
    expect(renderDeletedInvoiceItem('ii_1')).toEqual({ id: 'ii_1', object: 'invoiceitem', deleted: true });
  });
});

describe('itemRowsUnchanged', () => {
  const withItem = () => {
    const draft = draftInvoice();
    return addLines(draft, { lines: [lineInputFromItem(pendingItem())] }, NOW + 5, sequentialIds()).state;
  };

  it('holds across a finalize, which leaves the lines alone', () => {
    const draft = withItem();
    const finalized = finalize(draft, finalizeCommand(), NOW + 10, sequentialIds());
    expect(finalized.state.status).toBe('open');
    expect(itemRowsUnchanged(draft, finalized.state, finalized.invoiceItemChanges)).toBe(true);
  });

  it('fails when lines were added, or an item change is part of the transition', () => {
    const draft = draftInvoice();
    const added = addLines(draft, { lines: [lineInputFromItem(pendingItem())] }, NOW + 5, sequentialIds());
    expect(itemRowsUnchanged(draft, added.state, added.invoiceItemChanges)).toBe(false);
    const same = withItem();
    const change = { invoiceItemId: 'ii_1', lineId: 'il_1', action: 'delete' as const };
    expect(itemRowsUnchanged(same, same, [change])).toBe(false);
  });

  it('fails when a field the rows are made of moves: deletion, customer, clock, account', () => {
    const draft = withItem();
    expect(itemRowsUnchanged(draft, deleteDraft(draft, {}, NOW + 6, sequentialIds()).state, [])).toBe(false);
    expect(itemRowsUnchanged(draft, { ...draft, customerId: 'cus_other' }, [])).toBe(false);
    expect(itemRowsUnchanged(draft, { ...draft, testClockId: 'clock_1' }, [])).toBe(false);
    expect(itemRowsUnchanged(draft, { ...draft, accountId: 'acct_other' }, [])).toBe(false);
    expect(itemRowsUnchanged(draft, { ...draft, id: 'in_other' }, [])).toBe(false);
  });

  it('compares lines by identity unless told how: a copy counts as changed, or as equal by value', () => {
    const draft = withItem();
    const copied = { ...draft, lines: structuredClone(draft.lines) };
    expect(itemRowsUnchanged(draft, copied, [])).toBe(false);
    const byValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    expect(itemRowsUnchanged(draft, copied, [], byValue)).toBe(true);
    const edited = { ...copied, lines: [{ ...copied.lines[0], amount: copied.lines[0].amount + 1 }] };
    expect(itemRowsUnchanged(draft, edited, [], byValue)).toBe(false);
  });
});
