import { invalidRequest } from '../../../workflows/domain/errors';
import {
  createSubscription,
  DEFAULT_DAYS_UNTIL_DUE,
  type CreateSubscriptionCommand,
} from '../../../workflows/domain/subscription-create';
import { ids, price, subscriptionCommand } from './subscription-fixtures';
import { expectRefusal, utc } from './support';

const NOW = utc(2030, 1, 11);

const pro = price('price_pro');

function command(overrides: Partial<CreateSubscriptionCommand> = {}): CreateSubscriptionCommand {
  return subscriptionCommand({ items: [{ price: pro, productName: 'Pro' }], ...overrides });
}

describe('createSubscription', () => {
  describe('without a billing_cycle_anchor', () => {
    it('starts a full period now and bills it on a subscription_create invoice', () => {
      const { state, invoice, pendingItems, events } = createSubscription(
        command({ items: [{ price: pro, productName: 'Pro', quantity: 2 }] }),
        NOW,
        ids(),
      );
      const period = { start: NOW, end: utc(2030, 2, 11) };
      expect(state).toMatchObject({
        id: 'sub_1',
        accountId: 'acct_1',
        customerId: 'cus_1',
        currency: 'usd',
        status: 'incomplete', // charged: incomplete until the first invoice is paid
        created: NOW,
        startDate: NOW,
        billingCycleAnchor: NOW,
        currentPeriodStart: period.start,
        currentPeriodEnd: period.end,
        collectionMethod: 'charge_automatically',
        daysUntilDue: null,
        cancelAtPeriodEnd: false,
        cancelAt: null,
        canceledAt: null,
        endedAt: null,
        latestInvoiceId: invoice?.invoiceId,
        upcomingNotifiedFor: null,
        version: 1,
      });
      expect(state.items).toEqual([
        {
          id: expect.stringMatching(/^si_/),
          price: pro,
          productName: 'Pro',
          quantity: 2,
          created: NOW,
          metadata: {},
        },
      ]);
      expect(invoice).toEqual({
        invoiceId: expect.stringMatching(/^in_[0-9A-Za-z]{24}$/),
        billingReason: 'subscription_create',
        periodStart: NOW, // Stripe: a subscription_create invoice's period is zero-width at creation
        periodEnd: NOW,
        collectNow: true,
        lines: [
          {
            subscriptionItemId: state.items[0].id,
            priceId: 'price_pro',
            productId: 'prod_price_pro',
            quantity: 2,
            amount: 2000,
            unitAmountDecimal: '1000',
            description: '2 × Pro (at $10.00 / month)',
            period,
            proration: false,
          },
        ],
      });
      expect(pendingItems).toEqual([]);
      expect(events).toEqual([
        { id: expect.stringMatching(/^evt_/), type: 'customer.subscription.created', created: NOW },
      ]);
    });

    it('clamps the first period of a subscription started on the 31st', () => {
      const now = utc(2030, 1, 31, 10);
      const { state } = createSubscription(command(), now, ids());
      expect([state.currentPeriodStart, state.currentPeriodEnd]).toEqual([now, utc(2030, 2, 28, 10)]);
    });

    it('treats an anchor equal to now like no anchor', () => {
      const { state, invoice } = createSubscription(command({ billingCycleAnchor: NOW }), NOW, ids());
      expect(state.currentPeriodEnd).toBe(utc(2030, 2, 11));
      expect(invoice?.lines.map((l) => [l.amount, l.proration])).toEqual([[1000, false]]);
    });

    it('bills one line per item, each for the whole period', () => {
      const addon = price('price_addon', { unitAmount: 250 });
      const { invoice } = createSubscription(
        command({
          items: [
            { price: pro, productName: 'Pro' },
            { price: addon, productName: 'Add-on', quantity: 3 },
          ],
        }),
        NOW,
        ids(),
      );
      expect(invoice?.lines.map((l) => [l.amount, l.description])).toEqual([
        [1000, '1 × Pro (at $10.00 / month)'],
        [750, '3 × Add-on (at $2.50 / month)'],
      ]);
    });

    it('is deterministic for a seeded id factory', () => {
      expect(createSubscription(command(), NOW, ids())).toEqual(createSubscription(command(), NOW, ids()));
    });
  });

  describe('with a future billing_cycle_anchor', () => {
    it('runs a prorated stub period to the anchor', () => {
      // Anchor 1 Feb: the full period ending there is 1 Jan - 1 Feb (31 days); 11 Jan leaves 21.
      const anchor = utc(2030, 2, 1);
      const { state, invoice } = createSubscription(
        command({
          billingCycleAnchor: anchor,
          items: [
            { price: pro, productName: 'Pro' },
            { price: price('price_team', { unitAmount: 1000 }), productName: 'Team', quantity: 2 },
          ],
        }),
        NOW,
        ids(),
      );
      expect(state).toMatchObject({
        billingCycleAnchor: anchor,
        currentPeriodStart: NOW,
        currentPeriodEnd: anchor,
      });
      expect(invoice?.lines.map((l) => [l.amount, l.proration, l.unitAmountDecimal, l.period])).toEqual([
        [677, true, null, { start: NOW, end: anchor }], // 1000 × 21/31 = 677.42 -> 677
        [1355, true, null, { start: NOW, end: anchor }], // 2000 × 21/31 = 1354.84 -> 1355
      ]);
      expect(invoice?.lines[1].description).toBe('2 × Team (at $10.00 / month)');
    });

    it('prorates against the full period before the anchor, whatever its length', () => {
      // Anchor 15 Mar from 1 Mar 2030: the period before it is 15 Feb - 15 Mar, 28 days; 14 remain.
      const { invoice } = createSubscription(
        command({ billingCycleAnchor: utc(2030, 3, 15) }),
        utc(2030, 3, 1),
        ids(),
      );
      expect(invoice?.lines.map((l) => l.amount)).toEqual([500]); // 1000 × 14/28
    });

    it('bills nothing until the anchor with proration_behavior none', () => {
      const anchor = utc(2030, 2, 1);
      const { state, invoice } = createSubscription(
        command({ billingCycleAnchor: anchor, prorationBehavior: 'none' }),
        NOW,
        ids(),
      );
      expect(state.currentPeriodEnd).toBe(anchor);
      expect(invoice).toMatchObject({ billingReason: 'subscription_create', lines: [] });
    });

    it('accepts an anchor exactly at the next natural billing date', () => {
      const { invoice } = createSubscription(command({ billingCycleAnchor: utc(2030, 2, 11) }), NOW, ids());
      expect(invoice?.lines.map((l) => l.amount)).toEqual([1000]); // the whole period, prorated
    });
  });

  describe('collection', () => {
    it('makes a send_invoice subscription active at once, due in 30 days by default', () => {
      const { state } = createSubscription(command({ collectionMethod: 'send_invoice' }), NOW, ids());
      expect(DEFAULT_DAYS_UNTIL_DUE).toBe(30);
      expect(state).toMatchObject({ status: 'active', collectionMethod: 'send_invoice', daysUntilDue: 30 });
    });

    it('keeps a given days_until_due, zero included', () => {
      const seven = createSubscription(
        command({ collectionMethod: 'send_invoice', daysUntilDue: 7 }),
        NOW,
        ids(),
      );
      const zero = createSubscription(
        command({ collectionMethod: 'send_invoice', daysUntilDue: 0 }),
        NOW,
        ids(),
      );
      expect([seven.state.daysUntilDue, zero.state.daysUntilDue]).toEqual([7, 0]);
    });

    it('copies the plain fields', () => {
      const metadata = { plan: 'a' };
      const { state } = createSubscription(
        command({
          metadata,
          description: 'Team plan',
          cancelAtPeriodEnd: true,
          cancelAt: NOW + 100,
          defaultPaymentMethod: 'pm_1',
          livemode: true,
          testClockId: 'clock_1',
        }),
        NOW,
        ids(),
      );
      expect(state).toMatchObject({
        metadata: { plan: 'a' },
        description: 'Team plan',
        cancelAtPeriodEnd: true,
        cancelAt: NOW + 100,
        defaultPaymentMethod: 'pm_1',
        livemode: true,
        testClockId: 'clock_1',
      });
      expect(state.metadata).not.toBe(metadata);
    });
  });

  describe('refusals', () => {
    it('refuses days_until_due on a charged subscription', () => {
      expectRefusal(
        () => createSubscription(command({ daysUntilDue: 5 }), NOW, ids()),
        invalidRequest(
          'Invalid days_until_due: only valid when collection_method is send_invoice.',
          undefined,
          'days_until_due',
        ),
      );
    });

    it('refuses a negative or fractional days_until_due', () => {
      for (const days of [-1, 2.5]) {
        expectRefusal(
          () =>
            createSubscription(command({ collectionMethod: 'send_invoice', daysUntilDue: days }), NOW, ids()),
          invalidRequest(`Invalid integer: ${days}`, 'parameter_invalid_integer', 'days_until_due'),
        );
      }
    });

    it('refuses a billing_cycle_anchor in the past', () => {
      expectRefusal(
        () => createSubscription(command({ billingCycleAnchor: NOW - 1 }), NOW, ids()),
        invalidRequest('billing_cycle_anchor cannot be in the past.', undefined, 'billing_cycle_anchor'),
      );
    });

    it('refuses an anchor after the next natural billing date', () => {
      expectRefusal(
        () => createSubscription(command({ billingCycleAnchor: utc(2030, 2, 11) + 1 }), NOW, ids()),
        invalidRequest(
          'billing_cycle_anchor cannot be later than next natural billing date for plan.',
          undefined,
          'billing_cycle_anchor',
        ),
      );
      // From 31 Jan the natural date is 28 Feb: 1 Mar is too late.
      expectRefusal(
        () => createSubscription(command({ billingCycleAnchor: utc(2030, 3, 1) }), utc(2030, 1, 31), ids()),
        invalidRequest(
          'billing_cycle_anchor cannot be later than next natural billing date for plan.',
          undefined,
          'billing_cycle_anchor',
        ),
      );
    });

    it('refuses cancel_at not in the future', () => {
      expectRefusal(
        () => createSubscription(command({ cancelAt: NOW }), NOW, ids()),
        invalidRequest('cancel_at must be in the future.', undefined, 'cancel_at'),
      );
    });

    it('refuses no items, mixed intervals, one-time prices, bad quantities and missing prices', () => {
      expectRefusal(
        () => createSubscription(command({ items: [] }), NOW, ids()),
        invalidRequest('A subscription must have at least one active plan.', undefined, 'items'),
      );
      expectRefusal(
        () =>
          createSubscription(
            command({
              items: [
                { price: pro, productName: 'Pro' },
                { price: price('price_yearly', { recurring: { interval: 'year' } }), productName: 'Yearly' },
              ],
            }),
            NOW,
            ids(),
          ),
        invalidRequest(
          'Currency and interval fields must match across all plans on this subscription.',
          undefined,
          'items[1][price]',
        ),
      );
      expectRefusal(
        () =>
          createSubscription(
            command({ items: [{ price: price('price_once', { recurring: null }), productName: 'Once' }] }),
            NOW,
            ids(),
          ),
        invalidRequest(
          'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
          undefined,
          'items[0][price]',
        ),
      );
      expectRefusal(
        () =>
          createSubscription(
            command({ items: [{ price: pro, productName: 'Pro', quantity: -1 }] }),
            NOW,
            ids(),
          ),
        invalidRequest('Invalid integer: -1', 'parameter_invalid_integer', 'items[0][quantity]'),
      );
      expectRefusal(
        () =>
          createSubscription(
            command({ items: [{ price: pro, productName: 'Pro' }, { quantity: 1 }] }),
            NOW,
            ids(),
          ),
        invalidRequest('Missing required param: items[][price].', 'parameter_missing', 'items[1][price]'),
      );
    });
  });
});
