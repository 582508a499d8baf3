import { invalidRequest } from '../../../workflows/domain/errors';
import { renderSubscription } from '../../../workflows/domain/render/subscription';
import type { CreateSubscriptionCommand } from '../../../workflows/domain/subscription-create';
import type { SubscriptionState } from '../../../workflows/domain/subscription-types';
import {
  itemProrations,
  updateSubscription,
  type UpdateSubscriptionCommand,
} from '../../../workflows/domain/subscription-update';
import { activeSubscription, ids, NOW, PERIOD_END, price, START } from './subscription-fixtures';
import { expectRefusal, utc } from './support';

const pro = price('price_pro');
const premium = price('price_premium', { unitAmount: 3100 });
const addon = price('price_addon', { unitAmount: 500 });
const proYearly = price('price_pro_yearly', { unitAmount: 10_000, recurring: { interval: 'year' } });

function subscription(overrides: Partial<CreateSubscriptionCommand> = {}): SubscriptionState {
  return activeSubscription(START, { items: [{ price: pro, productName: 'Pro' }], ...overrides });
}

function update(state: SubscriptionState, command: UpdateSubscriptionCommand, now = NOW) {
  return updateSubscription(state, command, now, ids());
}

describe('updateSubscription', () => {
  describe('create_prorations (the default)', () => {
    it('leaves a credit and a charge pending for a quantity change', () => {
      const state = subscription();
      const itemId = state.items[0].id;
      const result = update(state, { items: [{ id: itemId, quantity: 2 }] });
      const span = { start: NOW, end: PERIOD_END };
      expect(result.pendingItems).toEqual([
        {
          invoiceItemId: expect.stringMatching(/^ii_[0-9A-Za-z]{24}$/),
          subscriptionItemId: itemId,
          priceId: 'price_pro',
          productId: 'prod_price_pro',
          quantity: 1,
          amount: -677, // 1000 × 21/31 = 677.42
          unitAmountDecimal: null,
          description: 'Unused time on Pro after 11 Jan 2030',
          period: span,
          proration: true,
        },
        {
          invoiceItemId: expect.stringMatching(/^ii_/),
          subscriptionItemId: itemId,
          priceId: 'price_pro',
          productId: 'prod_price_pro',
          quantity: 2,
          amount: 1355, // 2000 × 21/31 = 1354.84
          unitAmountDecimal: null,
          description: 'Remaining time on 2 × Pro after 11 Jan 2030',
          period: span,
          proration: true,
        },
      ]);
      expect(result.pendingItems[0].invoiceItemId).not.toBe(result.pendingItems[1].invoiceItemId);
      expect(result.invoice).toBeNull();
      expect(result.state).toMatchObject({
        items: [{ id: itemId, quantity: 2, price: pro }],
        latestInvoiceId: state.latestInvoiceId,
        currentPeriodStart: START,
        currentPeriodEnd: PERIOD_END,
        version: state.version + 1,
      });
    });

    it('credits the old price and charges the new one on an upgrade, keeping the item id', () => {
      const state = subscription();
      const itemId = state.items[0].id;
      const result = update(state, {
        items: [{ id: itemId, price: { price: premium, productName: 'Premium' } }],
        prorationBehavior: 'create_prorations',
      });
      expect(result.pendingItems.map((p) => [p.amount, p.description])).toEqual([
        [-677, 'Unused time on Pro after 11 Jan 2030'],
        [2100, 'Remaining time on Premium after 11 Jan 2030'], // 3100 × 21/31
      ]);
      expect(result.state.items).toEqual([
        expect.objectContaining({ id: itemId, price: premium, productName: 'Premium' }),
      ]);
    });

    it('charges an added item for the rest of the period', () => {
      const result = update(subscription(), {
        items: [{ price: { price: addon, productName: 'Add-on' }, quantity: 1 }],
      });
      expect(result.pendingItems.map((p) => [p.amount, p.description])).toEqual([
        [339, 'Remaining time on Add-on after 11 Jan 2030'], // 500 × 21/31 = 338.71
      ]);
      expect(result.state.items.map((i) => i.price.id)).toEqual(['price_pro', 'price_addon']);
      expect(result.state.items[1]).toMatchObject({
        id: expect.stringMatching(/^si_/),
        quantity: 1,
        created: NOW,
      });
    });

    it('credits a removed item', () => {
      const state = subscription({
        items: [
          { price: pro, productName: 'Pro' },
          { price: addon, productName: 'Add-on' },
        ],
      });
      const result = update(state, { items: [{ id: state.items[1].id, deleted: true }] });
      expect(result.pendingItems.map((p) => [p.subscriptionItemId, p.amount, p.description])).toEqual([
        [state.items[1].id, -339, 'Unused time on Add-on after 11 Jan 2030'],
      ]);
      expect(result.state.items.map((i) => i.id)).toEqual([state.items[0].id]);
    });

    it('prorates from proration_date when given', () => {
      // 6 Jan leaves 26 of 31 days: 1000 × 26/31 = 838.71 -> 839; 2000 × 26/31 = 1677.42 -> 1677.
      const state = subscription();
      const result = update(state, {
        items: [{ id: state.items[0].id, quantity: 2 }],
        prorationDate: utc(2030, 1, 6),
      });
      expect(result.pendingItems.map((p) => [p.amount, p.description, p.period.start])).toEqual([
        [-839, 'Unused time on Pro after 6 Jan 2030', utc(2030, 1, 6)],
        [1677, 'Remaining time on 2 × Pro after 6 Jan 2030', utc(2030, 1, 6)],
      ]);
    });

    it('accepts proration_date at the period start and at now', () => {
      const state = subscription();
      const change = { items: [{ id: state.items[0].id, quantity: 2 }] };
      expect(update(state, { ...change, prorationDate: START }).pendingItems.map((p) => p.amount)).toEqual([
        -1000, 2000,
      ]);
      expect(update(state, { ...change, prorationDate: NOW }).pendingItems.map((p) => p.amount)).toEqual([
        -677, 1355,
      ]);
    });

    it('makes nothing when only plain fields change', () => {
      const result = update(subscription(), { description: 'Renamed' });
      expect(result.pendingItems).toEqual([]);
      expect(result.invoice).toBeNull();
    });
  });

  describe('always_invoice', () => {
    it('invoices the prorations at once instead of leaving them pending', () => {
      const state = subscription();
      const result = update(state, {
        items: [{ id: state.items[0].id, quantity: 2 }],
        prorationBehavior: 'always_invoice',
      });
      expect(result.pendingItems).toEqual([]);
      expect(result.invoice).toEqual({
        invoiceId: expect.stringMatching(/^in_[0-9A-Za-z]{24}$/),
        billingReason: 'subscription_update',
        periodStart: START,
        periodEnd: NOW,
        collectNow: true,
        lines: [
          expect.objectContaining({
            amount: -677,
            quantity: 1,
            proration: true,
            period: { start: NOW, end: PERIOD_END },
          }),
          expect.objectContaining({ amount: 1355, quantity: 2, proration: true }),
        ],
      });
      expect(result.invoice?.lines[0]).not.toHaveProperty('invoiceItemId');
      expect(result.state.latestInvoiceId).toBe(result.invoice?.invoiceId);
    });

    it('makes no invoice when nothing is prorated', () => {
      const state = subscription();
      const result = update(state, { metadata: { a: '1' }, prorationBehavior: 'always_invoice' });
      expect(result.invoice).toBeNull();
      expect(result.state.latestInvoiceId).toBe(state.latestInvoiceId);
    });
  });

  describe('proration_behavior none', () => {
    it('changes the items and bills nothing', () => {
      const state = subscription();
      const result = update(state, {
        items: [{ id: state.items[0].id, quantity: 5 }],
        prorationBehavior: 'none',
      });
      expect(result.pendingItems).toEqual([]);
      expect(result.invoice).toBeNull();
      expect(result.state.items[0].quantity).toBe(5);
    });
  });

  describe('a change of billing interval', () => {
    it('credits the unused time, resets the cycle to now and bills the new period at once', () => {
      const state = subscription();
      const result = update(state, {
        items: [{ id: state.items[0].id, price: { price: proYearly, productName: 'Pro' } }],
      });
      const newEnd = utc(2031, 1, 11);
      expect(result.pendingItems).toEqual([]);
      expect(result.invoice).toEqual({
        invoiceId: expect.stringMatching(/^in_/),
        billingReason: 'subscription_update',
        periodStart: START,
        periodEnd: NOW,
        collectNow: true,
        lines: [
          expect.objectContaining({
            amount: -677,
            description: 'Unused time on Pro after 11 Jan 2030',
            proration: true,
          }),
          expect.objectContaining({
            amount: 10_000,
            priceId: 'price_pro_yearly',
            description: '1 × Pro (at $100.00 / year)',
            period: { start: NOW, end: newEnd },
            proration: false,
          }),
        ],
      });
      expect(result.state).toMatchObject({
        billingCycleAnchor: NOW,
        currentPeriodStart: NOW,
        currentPeriodEnd: newEnd,
        latestInvoiceId: result.invoice?.invoiceId,
        upcomingNotifiedFor: null,
      });
    });

    it('bills the new period without a credit under proration_behavior none', () => {
      const state = subscription();
      const result = update(state, {
        items: [{ id: state.items[0].id, price: { price: proYearly, productName: 'Pro' } }],
        prorationBehavior: 'none',
      });
      expect(result.invoice?.lines.map((l) => [l.amount, l.proration])).toEqual([[10_000, false]]);
      expect(result.state.currentPeriodEnd).toBe(utc(2031, 1, 11));
    });

    it('counts a change of interval_count as a change of interval', () => {
      const state = subscription();
      const quarterly = price('price_quarterly', {
        unitAmount: 2700,
        recurring: { interval: 'month', intervalCount: 3 },
      });
      const result = update(state, {
        items: [{ id: state.items[0].id, price: { price: quarterly, productName: 'Pro' } }],
      });
      expect(result.state.currentPeriodEnd).toBe(utc(2030, 4, 11));
      expect(result.invoice?.lines[1].description).toBe('1 × Pro (at $27.00 / every 3 months)');
    });
  });

  describe('plain fields', () => {
    it('sets cancel_at_period_end, cancel_at, description, metadata and the payment method', () => {
      const { state } = update(subscription(), {
        cancelAtPeriodEnd: true,
        cancelAt: NOW + 10,
        description: 'Team',
        metadata: { a: '1' },
        defaultPaymentMethod: 'pm_1',
      });
      expect(state).toMatchObject({
        cancelAtPeriodEnd: true,
        cancelAt: NOW + 10,
        description: 'Team',
        metadata: { a: '1' },
        defaultPaymentMethod: 'pm_1',
      });
    });

    it('clears nullable fields given null and keeps absent ones', () => {
      const base = {
        ...subscription(),
        description: 'Team',
        cancelAt: NOW + 10,
        defaultPaymentMethod: 'pm_1',
      };
      const { state } = update(base, { description: null, cancelAt: null });
      expect(state).toMatchObject({ description: null, cancelAt: null, defaultPaymentMethod: 'pm_1' });
    });

    it('defaults days_until_due to 30 when switching to send_invoice, and drops it when switching back', () => {
      const sent = update(subscription(), { collectionMethod: 'send_invoice' }).state;
      expect(sent).toMatchObject({ collectionMethod: 'send_invoice', daysUntilDue: 30 });
      expect(
        update(subscription(), { collectionMethod: 'send_invoice', daysUntilDue: 14 }).state.daysUntilDue,
      ).toBe(14);
      expect(update(sent, { collectionMethod: 'charge_automatically' }).state).toMatchObject({
        collectionMethod: 'charge_automatically',
        daysUntilDue: null,
      });
    });
  });

  describe('the customer.subscription.updated event', () => {
    it('carries the previous values of what changed, as rendered', () => {
      const state = subscription();
      const result = update(state, { items: [{ id: state.items[0].id, quantity: 2 }], description: 'Team' });
      expect(result.events).toEqual([
        {
          id: expect.stringMatching(/^evt_/),
          type: 'customer.subscription.updated',
          created: NOW,
          previousAttributes: { description: null, items: renderSubscription(state).items },
        },
      ]);
    });

    it('names cancel_at alongside cancel_at_period_end (cancel_at shows the period end)', () => {
      const { events } = update(subscription(), { cancelAtPeriodEnd: true });
      expect(events[0].previousAttributes).toEqual({ cancel_at_period_end: false, cancel_at: null });
    });

    it('names latest_invoice when a change is invoiced', () => {
      const state = subscription();
      const { events } = update(state, {
        items: [{ id: state.items[0].id, quantity: 2 }],
        prorationBehavior: 'always_invoice',
      });
      expect(events[0].previousAttributes).toMatchObject({ latest_invoice: state.latestInvoiceId });
    });

    it('is empty when nothing visible changed', () => {
      expect(update(subscription(), {}).events[0].previousAttributes).toEqual({});
    });
  });

  describe('refusals', () => {
    it('refuses to change a canceled subscription (param items when items were given)', () => {
      const canceled = { ...subscription(), status: 'canceled' as const };
      const message = 'A canceled subscription can only update its cancellation_details and metadata.';
      expectRefusal(() => update(canceled, { items: [] }), invalidRequest(message, undefined, 'items'));
      expectRefusal(
        () => update({ ...canceled, status: 'incomplete_expired' }, { description: 'x' }),
        invalidRequest(message),
      );
    });

    it('refuses a proration_date before the period or in the future', () => {
      const state = subscription();
      const refusal = invalidRequest(
        'proration_date must be within the current period of the subscription, and not in the future.',
        undefined,
        'proration_date',
      );
      expectRefusal(() => update(state, { prorationDate: START - 1 }), refusal);
      expectRefusal(() => update(state, { prorationDate: NOW + 1 }), refusal);
    });

    it('refuses cancel_at not in the future and days_until_due on a charged subscription', () => {
      expectRefusal(
        () => update(subscription(), { cancelAt: NOW }),
        invalidRequest('cancel_at must be in the future.', undefined, 'cancel_at'),
      );
      expectRefusal(
        () => update(subscription(), { daysUntilDue: 3 }),
        invalidRequest(
          'Invalid days_until_due: only valid when collection_method is send_invoice.',
          undefined,
          'days_until_due',
        ),
      );
    });

    it('refuses an unknown item id, a deleted new item and a new item without a price', () => {
      expectRefusal(
        () => update(subscription(), { items: [{ id: 'si_nope', quantity: 2 }] }),
        invalidRequest('Invalid subscription_item id: si_nope', 'resource_missing', 'items[0][id]'),
      );
      expectRefusal(
        () => update(subscription(), { items: [{ quantity: 1 }, { deleted: true }] }),
        // The first change already fails: a new item needs a price.
        invalidRequest('Missing required param: items[][price].', 'parameter_missing', 'items[0][price]'),
      );
      expectRefusal(
        () =>
          update(subscription(), {
            items: [{ price: { price: addon, productName: 'Add-on' }, deleted: true }],
          }),
        invalidRequest('A new item cannot be deleted: give its id.', undefined, 'items[0][deleted]'),
      );
    });

    it('refuses a bad quantity, an inactive price and deleting every item', () => {
      const state = subscription();
      const id = state.items[0].id;
      expectRefusal(
        () => update(state, { items: [{ id, quantity: -2 }] }),
        invalidRequest('Invalid integer: -2', 'parameter_invalid_integer', 'items[0][quantity]'),
      );
      expectRefusal(
        () =>
          update(state, {
            items: [{ id, price: { price: price('price_old', { active: false }), productName: 'Old' } }],
          }),
        invalidRequest(
          'The price specified is inactive. This field only accepts active prices.',
          undefined,
          'items[0][price]',
        ),
      );
      expectRefusal(
        () => update(state, { items: [{ id, deleted: true }] }),
        invalidRequest('A subscription must have at least one active plan.', undefined, 'items'),
      );
    });

    // The refusal names the request's item, not its place among the merged items.
    it("refuses a price already on the subscription, naming the caller's item", () => {
      expectRefusal(
        () => update(subscription(), { items: [{ price: { price: pro, productName: 'Pro' } }] }),
        invalidRequest(
          'Cannot add multiple subscription items with the same price.',
          undefined,
          'items[0][price]',
        ),
      );
    });

    it("refuses a currency other than the subscription's, naming the caller's item", () => {
      expectRefusal(
        () =>
          update(subscription(), {
            items: [{ price: { price: price('price_eur', { currency: 'eur' }), productName: 'Euro' } }],
          }),
        invalidRequest(
          'Currency and interval fields must match across all plans on this subscription.',
          undefined,
          'items[0][price]',
        ),
      );
    });
  });
});

describe('itemProrations', () => {
  it('lists existing items first, then new ones', () => {
    const state = subscription();
    const next = update(state, {
      items: [{ price: { price: addon, productName: 'Add-on' } }, { id: state.items[0].id, quantity: 2 }],
    }).state.items;
    const charges = itemProrations(state.items, next, { start: START, end: PERIOD_END }, NOW);
    expect(charges.map((c) => [c.priceId, c.amount])).toEqual([
      ['price_pro', -677],
      ['price_pro', 1355],
      ['price_addon', 339],
    ]);
  });
});
