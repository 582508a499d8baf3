import {
  PREVIEW_ID_PREFIX,
  previewInvoice,
  renewalRequest,
  subscriptionLineInput,
  type PreviewInput,
} from '../../../workflows/domain/invoice-preview';
import type { CreateSubscriptionCommand } from '../../../workflows/domain/subscription-create';
import { renewSubscription } from '../../../workflows/domain/subscription-lifecycle';
import type { SubscriptionLine, SubscriptionState } from '../../../workflows/domain/subscription-types';
import { updateSubscription } from '../../../workflows/domain/subscription-update';
import { activeSubscription, ids, price } from './subscription-fixtures';
import { customerSnapshot, DAY, utc } from './support';

// Created 31 Jan 2030, monthly: the first period ends 28 Feb, the next ends 31 Mar.
const START = utc(2030, 1, 31);
const FEB28 = utc(2030, 2, 28);
const MAR31 = utc(2030, 3, 31);
const NOW = utc(2030, 2, 10);

function subscription(overrides: Partial<CreateSubscriptionCommand> = {}): SubscriptionState {
  return activeSubscription(START, overrides);
}

function input(overrides: Partial<PreviewInput> = {}): PreviewInput {
  const sub = subscription();
  return {
    accountId: 'acct_1',
    customerId: 'cus_1',
    currency: 'usd',
    customer: customerSnapshot(),
    livemode: false,
    testClockId: null,
    subscription: sub,
    request: renewalRequest(sub),
    pendingLines: [],
    ...overrides,
  };
}

describe('renewalRequest', () => {
  it('is the invoice the next renewal makes, without its id', () => {
    const state = subscription({ items: [{ price: price('price_pro'), productName: 'Pro', quantity: 3 }] });
    const request = renewalRequest(state);
    expect(request).toEqual({
      billingReason: 'subscription_cycle',
      periodStart: START,
      periodEnd: FEB28,
      collectNow: false,
      lines: [
        expect.objectContaining({
          amount: 3000,
          quantity: 3,
          description: '3 × Pro (at $10.00 / month)',
          period: { start: FEB28, end: MAR31 }, // clamped to 28 Feb, then back to the 31st
          proration: false,
        }),
      ],
    });
    const { invoiceId, ...renewal } = renewSubscription(state, ids()).invoice!;
    expect(invoiceId).toMatch(/^in_/);
    expect(request).toEqual(renewal);
  });
});

describe('subscriptionLineInput', () => {
  it('carries the line to an invoice line, discountable unless a proration', () => {
    const line: SubscriptionLine = {
      subscriptionItemId: 'si_1',
      priceId: 'price_pro',
      productId: 'prod_pro',
      quantity: 2,
      amount: -677,
      unitAmountDecimal: null,
      description: 'Unused time on 2 × Pro after 11 Jan 2030',
      period: { start: 1, end: 2 },
      proration: true,
    };
    const mapped = subscriptionLineInput(line, 'sub_1');
    expect(mapped).toEqual({
      subscriptionId: 'sub_1',
      subscriptionItemId: 'si_1',
      priceId: 'price_pro',
      productId: 'prod_pro',
      amount: -677,
      unitAmountDecimal: null,
      quantity: 2,
      description: 'Unused time on 2 × Pro after 11 Jan 2030',
      period: { start: 1, end: 2 },
      proration: true,
      discountable: false,
    });
    expect(mapped.period).not.toBe(line.period);
    expect(subscriptionLineInput({ ...line, proration: false }, 'sub_1').discountable).toBe(true);
  });
});

describe('previewInvoice', () => {
  it('names the preview upcoming_in_...', () => {
    expect(PREVIEW_ID_PREFIX).toBe('upcoming_in');
    expect(previewInvoice(input(), NOW, ids()).id).toMatch(/^upcoming_in_[0-9A-Za-z]{24}$/);
  });

  it('puts pending items first, then the subscription lines, then extra lines', () => {
    const preview = previewInvoice(
      input({
        pendingLines: [
          {
            id: 'il_pending',
            invoiceItemId: 'ii_pending',
            amount: -677,
            description: 'Unused time',
            proration: true,
          },
        ],
        extraLines: [{ amount: 250, description: 'Setup fee' }],
      }),
      NOW,
      ids(),
    );
    expect(preview.lines.map((l) => [l.amount, l.description])).toEqual([
      [-677, 'Unused time'],
      [1000, '1 × Pro (at $10.00 / month)'],
      [250, 'Setup fee'],
    ]);
    expect(preview.lines[0]).toMatchObject({ id: 'il_pending', invoiceItemId: 'ii_pending' });
    expect(preview.lines[1]).toMatchObject({
      subscriptionId: 'sub_1',
      priceId: 'price_pro',
      period: { start: FEB28, end: MAR31 },
      discountable: true,
      proration: false,
      currency: 'usd',
    });
  });

  it('is a draft of the renewal: its reason, period, collection and schedule', () => {
    const preview = previewInvoice(input(), NOW, ids());
    expect(preview).toMatchObject({
      status: 'draft',
      customerId: 'cus_1',
      currency: 'usd',
      subscriptionId: 'sub_1',
      billingReason: 'subscription_cycle',
      periodStart: START,
      periodEnd: FEB28,
      autoAdvance: true,
      collectionMethod: 'charge_automatically',
      dueDate: null,
      automaticallyFinalizesAt: NOW + 3600,
      nextPaymentAttempt: NOW + 3600,
      created: NOW,
    });
  });

  it("takes a send_invoice subscription's days_until_due", () => {
    const sub = subscription({ collectionMethod: 'send_invoice' });
    const preview = previewInvoice(input({ subscription: sub, request: renewalRequest(sub) }), NOW, ids());
    expect(preview).toMatchObject({
      collectionMethod: 'send_invoice',
      daysUntilDue: 30,
      dueDate: NOW + 30 * DAY,
    });
  });

  it("previews a change's invoice line for line", () => {
    const sub = subscription();
    const change = updateSubscription(
      sub,
      { items: [{ id: sub.items[0].id, quantity: 2 }], prorationBehavior: 'always_invoice' },
      NOW,
      ids(),
    );
    const { invoiceId, ...request } = change.invoice!;
    expect(invoiceId).toMatch(/^in_/);
    const preview = previewInvoice(input({ subscription: change.state, request }), NOW, ids());
    // 10 Feb in 31 Jan - 28 Feb (28 days) leaves 18: 1000 × 18/28 = 642.86 -> 643; 2000 × 18/28 = 1285.71 -> 1286.
    expect(preview.lines.map((l) => [l.amount, l.proration, l.discountable])).toEqual([
      [-643, true, false],
      [1286, true, false],
    ]);
    expect(preview).toMatchObject({
      billingReason: 'subscription_update',
      periodStart: START,
      periodEnd: NOW,
    });
  });

  it('is a plain upcoming invoice without a subscription', () => {
    const preview = previewInvoice(
      input({
        subscription: null,
        request: null,
        pendingLines: [{ amount: 500, description: 'Pending' }],
        extraLines: [{ amount: 100 }],
      }),
      NOW,
      ids(),
    );
    expect(preview).toMatchObject({
      billingReason: 'upcoming',
      subscriptionId: null,
      autoAdvance: false,
      automaticallyFinalizesAt: null,
      periodStart: NOW,
      periodEnd: NOW,
    });
    expect(preview.lines.map((l) => l.amount)).toEqual([500, 100]);
  });

  it('mints the same ids for the same seed', () => {
    expect(previewInvoice(input(), NOW, ids())).toEqual(previewInvoice(input(), NOW, ids()));
  });
});
