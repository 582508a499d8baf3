import { boundary } from '../../../workflows/domain/billing-period';
import { invalidRequest } from '../../../workflows/domain/errors';
import { renderSubscription } from '../../../workflows/domain/render/subscription';
import type { CreateSubscriptionCommand } from '../../../workflows/domain/subscription-create';
import {
  applyInvoiceOutcome,
  cancelSubscription,
  expireIncomplete,
  INCOMPLETE_EXPIRES_AFTER,
  nextSubscriptionDeadline,
  renewSubscription,
  upcomingAt,
  type InvoiceOutcome,
} from '../../../workflows/domain/subscription-lifecycle';
import type { SubscriptionState, SubscriptionStatus } from '../../../workflows/domain/subscription-types';
import type { InvoiceStatus } from '../../../workflows/domain/types';
import { activeSubscription, ids, NOW, PERIOD_END, price, START } from './subscription-fixtures';
import { DAY, expectRefusal, utc } from './support';

function subscription(
  overrides: Partial<SubscriptionState> = {},
  create: Partial<CreateSubscriptionCommand> = {},
  at = START,
): SubscriptionState {
  return activeSubscription(at, create, overrides);
}

describe('upcomingAt', () => {
  it('is the given number of days before the period end', () => {
    expect(upcomingAt(subscription(), 3)).toBe(PERIOD_END - 3 * DAY);
  });

  it.each<SubscriptionStatus>(['active', 'past_due', 'unpaid', 'trialing'])(
    'is notified for %s',
    (status) => {
      expect(upcomingAt(subscription({ status }), 3)).toBe(PERIOD_END - 3 * DAY);
    },
  );

  it.each<SubscriptionStatus>(['incomplete', 'incomplete_expired', 'canceled', 'paused'])(
    'is not for %s',
    (status) => {
      expect(upcomingAt(subscription({ status }), 3)).toBeNull();
    },
  );

  it('is sent once per renewal', () => {
    expect(upcomingAt(subscription({ upcomingNotifiedFor: PERIOD_END }), 3)).toBeNull();
    // A mark for an earlier period end does not count.
    expect(upcomingAt(subscription({ upcomingNotifiedFor: START }), 3)).toBe(PERIOD_END - 3 * DAY);
  });

  it('is off for zero days and for periods not longer than the notice', () => {
    expect(upcomingAt(subscription(), 0)).toBeNull();
    expect(upcomingAt(subscription(), 31)).toBeNull(); // at == start: not strictly inside
    expect(upcomingAt(subscription(), 30)).toBe(START + DAY);
    const daily = subscription(
      {},
      { items: [{ price: price('price_daily', { recurring: { interval: 'day' } }), productName: 'Daily' }] },
    );
    expect(upcomingAt(daily, 1)).toBeNull();
  });

  it('is not sent when the subscription will cancel in this period', () => {
    expect(upcomingAt(subscription({ cancelAtPeriodEnd: true }), 3)).toBeNull();
    expect(upcomingAt(subscription({ cancelAt: NOW }), 3)).toBeNull();
    expect(upcomingAt(subscription({ cancelAt: PERIOD_END }), 3)).toBeNull();
    expect(upcomingAt(subscription({ cancelAt: PERIOD_END + 1 }), 3)).toBe(PERIOD_END - 3 * DAY);
  });
});

describe('nextSubscriptionDeadline', () => {
  it('is nothing for an ended subscription', () => {
    expect(nextSubscriptionDeadline(subscription({ status: 'canceled' }), 3)).toBeNull();
    expect(nextSubscriptionDeadline(subscription({ status: 'incomplete_expired' }), 3)).toBeNull();
  });

  it('expires an incomplete subscription 23 hours after creation, whatever else is scheduled', () => {
    expect(INCOMPLETE_EXPIRES_AFTER).toBe(23 * 3600);
    expect(
      nextSubscriptionDeadline(subscription({ status: 'incomplete', cancelAtPeriodEnd: true }), 3),
    ).toEqual({
      action: 'expire',
      at: START + 23 * 3600,
    });
  });

  it('sends invoice.upcoming before renewing', () => {
    expect(nextSubscriptionDeadline(subscription(), 3)).toEqual({
      action: 'upcoming',
      at: PERIOD_END - 3 * DAY,
    });
  });

  it('renews at the period end once notified, or without notices', () => {
    const renew = { action: 'renew', at: PERIOD_END };
    expect(nextSubscriptionDeadline(subscription({ upcomingNotifiedFor: PERIOD_END }), 3)).toEqual(renew);
    expect(nextSubscriptionDeadline(subscription(), 0)).toEqual(renew);
    expect(nextSubscriptionDeadline(subscription({ status: 'paused' }), 3)).toEqual(renew);
  });

  it('cancels instead of renewing when a cancellation falls in the period', () => {
    expect(nextSubscriptionDeadline(subscription({ cancelAtPeriodEnd: true }), 3)).toEqual({
      action: 'cancel',
      at: PERIOD_END,
    });
    expect(nextSubscriptionDeadline(subscription({ cancelAt: NOW + 5 }), 3)).toEqual({
      action: 'cancel',
      at: NOW + 5,
    });
    expect(nextSubscriptionDeadline(subscription({ cancelAt: PERIOD_END }), 3)).toEqual({
      action: 'cancel',
      at: PERIOD_END,
    });
  });

  it('renews (and notifies) when cancel_at lies beyond the period', () => {
    const state = subscription({ cancelAt: utc(2030, 3, 15) });
    expect(nextSubscriptionDeadline(state, 3)).toEqual({ action: 'upcoming', at: PERIOD_END - 3 * DAY });
    expect(nextSubscriptionDeadline({ ...state, upcomingNotifiedFor: PERIOD_END }, 3)).toEqual({
      action: 'renew',
      at: PERIOD_END,
    });
  });
});

describe('renewSubscription', () => {
  it('moves to the next period (month-end clamped) and bills it on a subscription_cycle draft', () => {
    // Anchor 31 Jan: the first period ends 28 Feb, the next ends 31 Mar.
    const state = subscription(
      {},
      { items: [{ price: price('price_pro'), productName: 'Pro', quantity: 2 }] },
      utc(2030, 1, 31),
    );
    const feb28 = utc(2030, 2, 28);
    const mar31 = utc(2030, 3, 31);
    expect(state.currentPeriodEnd).toBe(feb28);
    const result = renewSubscription(state, ids());
    expect(result.state).toMatchObject({
      status: 'active',
      currentPeriodStart: feb28,
      currentPeriodEnd: mar31,
      billingCycleAnchor: utc(2030, 1, 31),
      latestInvoiceId: result.invoice?.invoiceId,
      version: state.version + 1,
    });
    expect(result.invoice).toEqual({
      invoiceId: expect.stringMatching(/^in_[0-9A-Za-z]{24}$/),
      billingReason: 'subscription_cycle',
      periodStart: utc(2030, 1, 31), // the invoice covers the period just ended
      periodEnd: feb28,
      collectNow: false,
      lines: [
        expect.objectContaining({
          amount: 2000,
          description: '2 × Pro (at $10.00 / month)',
          period: { start: feb28, end: mar31 }, // the lines bill the period ahead
          proration: false,
        }),
      ],
    });
    expect(result.pendingItems).toEqual([]);
    expect(result.events).toEqual([
      {
        id: expect.stringMatching(/^evt_/),
        type: 'customer.subscription.updated',
        created: feb28,
        // Since API 2025-03-31 the period lives on each item: the items as they were.
        previousAttributes: {
          items: renderSubscription(state).items,
          latest_invoice: state.latestInvoiceId,
        },
      },
    ]);
  });

  it('follows the anchor through two years of renewals (31st, leap February)', () => {
    let state = subscription({}, {}, utc(2031, 1, 31));
    const starts: number[] = [];
    for (let n = 1; n <= 24; n++) {
      state = renewSubscription(state, ids()).state;
      starts.push(state.currentPeriodStart);
    }
    const monthly = { interval: 'month' as const, intervalCount: 1 };
    expect(starts).toEqual(starts.map((_, i) => boundary(utc(2031, 1, 31), monthly, i + 1)));
    expect(starts[12]).toBe(utc(2032, 2, 29)); // the 13th period starts on leap day
    expect(starts[13]).toBe(utc(2032, 3, 31)); // and the next is back on the 31st
    expect([state.currentPeriodStart, state.currentPeriodEnd]).toEqual([utc(2033, 1, 31), utc(2033, 2, 28)]);
  });

  it('runs from a future anchor after the stub period', () => {
    const anchor = utc(2030, 1, 20);
    const state = subscription({}, { billingCycleAnchor: anchor });
    expect(state.currentPeriodEnd).toBe(anchor);
    const { state: next } = renewSubscription(state, ids());
    expect([next.currentPeriodStart, next.currentPeriodEnd]).toEqual([anchor, utc(2030, 2, 20)]);
  });
});

describe('cancelSubscription', () => {
  it('ends the subscription now and leaves the unused time as a pending credit when prorating', () => {
    const state = subscription();
    const result = cancelSubscription(state, NOW, { prorate: true }, ids());
    expect(result.state).toMatchObject({
      status: 'canceled',
      canceledAt: NOW,
      endedAt: NOW,
      cancellationReason: 'cancellation_requested',
      latestInvoiceId: state.latestInvoiceId,
      version: state.version + 1,
    });
    expect(result.pendingItems).toEqual([
      expect.objectContaining({
        invoiceItemId: expect.stringMatching(/^ii_/),
        subscriptionItemId: state.items[0].id,
        amount: -677, // 1000 × 21/31 = 677.42
        description: 'Unused time on Pro after 11 Jan 2030',
        period: { start: NOW, end: PERIOD_END },
        proration: true,
      }),
    ]);
    expect(result.invoice).toBeNull();
    expect(result.events).toEqual([
      { id: expect.stringMatching(/^evt_/), type: 'customer.subscription.deleted', created: NOW },
    ]);
  });

  it('credits nothing without prorate', () => {
    const result = cancelSubscription(subscription(), NOW, {}, ids());
    expect(result.pendingItems).toEqual([]);
    expect(result.invoice).toBeNull();
  });

  it('invoices the credit at once with invoice_now', () => {
    const state = subscription();
    const result = cancelSubscription(state, NOW, { prorate: true, invoiceNow: true }, ids());
    expect(result.pendingItems).toEqual([]);
    expect(result.invoice).toEqual({
      invoiceId: expect.stringMatching(/^in_/),
      billingReason: 'subscription_update',
      periodStart: START,
      periodEnd: NOW,
      collectNow: true,
      lines: [expect.objectContaining({ amount: -677, proration: true })],
    });
    expect(result.invoice?.lines[0]).not.toHaveProperty('invoiceItemId');
    expect(result.state.latestInvoiceId).toBe(result.invoice?.invoiceId);
  });

  it('makes an invoice without lines for invoice_now alone (the caller adds pending items)', () => {
    expect(cancelSubscription(subscription(), NOW, { invoiceNow: true }, ids()).invoice?.lines).toEqual([]);
  });

  it('credits nothing at the period end', () => {
    expect(cancelSubscription(subscription(), PERIOD_END, { prorate: true }, ids()).pendingItems).toEqual([]);
  });

  it('records the reason', () => {
    const { state } = cancelSubscription(subscription(), NOW, { reason: 'payment_failed' }, ids());
    expect(state.cancellationReason).toBe('payment_failed');
  });

  it('refuses an ended subscription', () => {
    const message = 'A canceled subscription can only update its cancellation_details and metadata.';
    expectRefusal(
      () => cancelSubscription(subscription({ status: 'canceled' }), NOW, {}, ids()),
      invalidRequest(message),
    );
    expectRefusal(
      () => cancelSubscription(subscription({ status: 'incomplete_expired' }), NOW, {}, ids()),
      invalidRequest(message),
    );
  });
});

describe('expireIncomplete', () => {
  it('ends the subscription as incomplete_expired with a deleted event', () => {
    const state = subscription({ status: 'incomplete' });
    const at = START + INCOMPLETE_EXPIRES_AFTER;
    const result = expireIncomplete(state, at, ids());
    expect(result.state).toMatchObject({
      status: 'incomplete_expired',
      endedAt: at,
      canceledAt: null,
      version: state.version + 1,
    });
    expect(result.events).toEqual([
      { id: expect.stringMatching(/^evt_/), type: 'customer.subscription.deleted', created: at },
    ]);
    expect(result.invoice).toBeNull();
    expect(result.pendingItems).toEqual([]);
  });
});

describe('applyInvoiceOutcome', () => {
  function outcome(status: InvoiceStatus, paymentFailed = false, invoiceId = 'in_latest'): InvoiceOutcome {
    return { invoiceId, status, paymentFailed };
  }

  // [subscription status, invoice status, payment failed, new subscription status or null]
  const table: Array<[SubscriptionStatus, InvoiceStatus, boolean, SubscriptionStatus | null]> = [
    ['incomplete', 'paid', false, 'active'],
    ['past_due', 'paid', false, 'active'],
    ['unpaid', 'paid', false, 'active'],
    ['active', 'paid', false, null],
    ['trialing', 'paid', false, null],
    ['paused', 'paid', false, null],
    ['active', 'uncollectible', false, 'unpaid'],
    ['past_due', 'uncollectible', false, 'unpaid'],
    ['incomplete', 'uncollectible', false, null],
    ['unpaid', 'uncollectible', false, null],
    ['active', 'open', true, 'past_due'],
    ['incomplete', 'open', true, null], // stays incomplete until it expires
    ['past_due', 'open', true, null],
    ['unpaid', 'open', true, null],
    ['active', 'open', false, null], // finalized, not yet failed
    ['incomplete', 'open', false, null],
    ['active', 'void', false, null],
    ['past_due', 'void', false, null],
    ['active', 'draft', false, null],
    ['canceled', 'paid', false, null],
    ['incomplete_expired', 'paid', false, null],
  ];

  it.each(table)('%s + %s invoice (payment failed: %s) -> %s', (from, invoiceStatus, failed, to) => {
    const state = subscription({ status: from, latestInvoiceId: 'in_latest' });
    const result = applyInvoiceOutcome(state, outcome(invoiceStatus, failed), NOW, ids());
    if (to === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result).toEqual({
      state: { ...state, status: to, version: state.version + 1 },
      events: [
        {
          id: expect.stringMatching(/^evt_/),
          type: 'customer.subscription.updated',
          created: NOW,
          previousAttributes: { status: from },
        },
      ],
      pendingItems: [],
      invoice: null,
    });
  });

  // Stripe: past_due/unpaid describe the latest invoice; an older one's news moves nothing.
  describe('for an invoice that is not the latest', () => {
    it('does not make an active subscription unpaid when an old invoice is marked uncollectible', () => {
      const state = subscription({ status: 'active', latestInvoiceId: 'in_latest' });
      expect(applyInvoiceOutcome(state, outcome('uncollectible', false, 'in_old'), NOW, ids())).toBeNull();
    });

    it('does not make a past_due subscription active when an old invoice is paid', () => {
      const state = subscription({ status: 'past_due', latestInvoiceId: 'in_latest' });
      expect(applyInvoiceOutcome(state, outcome('paid', false, 'in_old'), NOW, ids())).toBeNull();
    });
  });
});
