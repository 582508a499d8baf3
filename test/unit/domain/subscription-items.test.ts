import { invalidRequest } from '../../../workflows/domain/errors';
import type { PriceRecord } from '../../../workflows/domain/price';
import {
  assertItemSet,
  assertPriceUsable,
  assertQuantity,
  buildItem,
  MAX_SUBSCRIPTION_ITEMS,
} from '../../../workflows/domain/subscription-items';
import type { SubscriptionItemState } from '../../../workflows/domain/subscription-types';
import { ids, price, subscriptionItem } from './subscription-fixtures';
import { expectRefusal } from './support';

const NOW = 1_900_000_000;
const MISMATCH = 'Currency and interval fields must match across all plans on this subscription.';

function item(p: PriceRecord, id = `si_${p.id}`): SubscriptionItemState {
  return subscriptionItem(p, { id, created: NOW });
}

function items(count: number): SubscriptionItemState[] {
  return Array.from({ length: count }, (_, i) => item(price(`price_${i}`)));
}

describe('assertItemSet', () => {
  it('accepts one to twenty items of one currency and interval', () => {
    expect(MAX_SUBSCRIPTION_ITEMS).toBe(20);
    expect(() => assertItemSet(items(1), null)).not.toThrow();
    expect(() => assertItemSet(items(20), null)).not.toThrow();
    expect(() => assertItemSet(items(2), 'usd')).not.toThrow();
  });

  it('refuses no items at all, on param items', () => {
    expectRefusal(
      () => assertItemSet([], null),
      invalidRequest('A subscription must have at least one active plan.', undefined, 'items'),
    );
  });

  it('refuses more than twenty items, on param items', () => {
    expectRefusal(
      () => assertItemSet(items(21), null),
      invalidRequest('A subscription can have at most 20 items.', undefined, 'items'),
    );
  });

  it('refuses a different interval, naming the offending item', () => {
    const set = [item(price('a')), item(price('b', { recurring: { interval: 'year' } }))];
    expectRefusal(() => assertItemSet(set, null), invalidRequest(MISMATCH, undefined, 'items[1][price]'));
  });

  it('refuses a different interval_count', () => {
    const set = [
      item(price('a')),
      item(price('b')),
      item(price('c', { recurring: { interval: 'month', intervalCount: 3 } })),
    ];
    expectRefusal(() => assertItemSet(set, null), invalidRequest(MISMATCH, undefined, 'items[2][price]'));
  });

  it('refuses a one-time price among recurring ones', () => {
    const set = [item(price('a')), item(price('b', { recurring: null }))];
    expectRefusal(() => assertItemSet(set, null), invalidRequest(MISMATCH, undefined, 'items[1][price]'));
  });

  it("refuses a currency other than the first item's", () => {
    const set = [item(price('a')), item(price('b', { currency: 'eur' }))];
    expectRefusal(() => assertItemSet(set, null), invalidRequest(MISMATCH, undefined, 'items[1][price]'));
  });

  it("refuses a currency other than the subscription's, even on the first item", () => {
    const set = [item(price('a', { currency: 'eur' })), item(price('b', { currency: 'eur' }))];
    expectRefusal(() => assertItemSet(set, 'usd'), invalidRequest(MISMATCH, undefined, 'items[0][price]'));
  });

  it('refuses the same price twice, naming the second', () => {
    const pro = price('pro');
    const set = [item(pro, 'si_1'), item(price('other')), item(pro, 'si_3')];
    expectRefusal(
      () => assertItemSet(set, null),
      invalidRequest(
        'Cannot add multiple subscription items with the same price.',
        undefined,
        'items[2][price]',
      ),
    );
  });
});

describe('assertQuantity', () => {
  it('accepts absent, zero and positive whole quantities', () => {
    expect(() => assertQuantity(undefined, 'quantity')).not.toThrow();
    expect(() => assertQuantity(0, 'quantity')).not.toThrow();
    expect(() => assertQuantity(10_000, 'quantity')).not.toThrow();
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %p as parameter_invalid_integer',
    (quantity) => {
      expectRefusal(
        () => assertQuantity(quantity, 'items[2][quantity]'),
        invalidRequest(`Invalid integer: ${quantity}`, 'parameter_invalid_integer', 'items[2][quantity]'),
      );
    },
  );
});

describe('assertPriceUsable', () => {
  it('accepts an active recurring price', () => {
    expect(() => assertPriceUsable(price('a'), 'items[0][price]')).not.toThrow();
  });

  it('refuses a one-time price on the given param', () => {
    expectRefusal(
      () => assertPriceUsable(price('a', { recurring: null }), 'items[1][price]'),
      invalidRequest(
        'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
        undefined,
        'items[1][price]',
      ),
    );
  });

  it('refuses an inactive price on the given param', () => {
    expectRefusal(
      () => assertPriceUsable(price('a', { active: false }), 'items[0][price]'),
      invalidRequest(
        'The price specified is inactive. This field only accepts active prices.',
        undefined,
        'items[0][price]',
      ),
    );
  });
});

describe('buildItem', () => {
  it('makes an item with an si_ id, quantity 1 by default and a copy of the metadata', () => {
    const metadata = { tier: 'gold' };
    const built = buildItem({ price: price('a'), productName: 'Pro', metadata }, 0, NOW, ids());
    expect(built).toEqual({
      id: expect.stringMatching(/^si_[0-9A-Za-z]{24}$/),
      price: price('a'),
      productName: 'Pro',
      quantity: 1,
      created: NOW,
      metadata: { tier: 'gold' },
    });
    expect(built.metadata).not.toBe(metadata);
  });

  it('mints the same id for the same seed', () => {
    const a = buildItem({ price: price('a'), productName: 'Pro' }, 0, NOW, ids());
    const b = buildItem({ price: price('a'), productName: 'Pro' }, 0, NOW, ids());
    expect(a.id).toBe(b.id);
  });

  it('keeps a given quantity, zero included', () => {
    expect(buildItem({ price: price('a'), productName: 'Pro', quantity: 0 }, 0, NOW, ids()).quantity).toBe(0);
    expect(buildItem({ price: price('a'), productName: 'Pro', quantity: 7 }, 0, NOW, ids()).quantity).toBe(7);
  });

  it('refuses a missing price (or product name) as parameter_missing on its index', () => {
    const missing = invalidRequest(
      'Missing required param: items[][price].',
      'parameter_missing',
      'items[3][price]',
    );
    expectRefusal(() => buildItem({ quantity: 1 }, 3, NOW, ids()), missing);
    expectRefusal(() => buildItem({ price: price('a') }, 3, NOW, ids()), missing);
  });

  it('refuses an unusable price before a bad quantity', () => {
    expectRefusal(
      () =>
        buildItem({ price: price('a', { active: false }), productName: 'Pro', quantity: -1 }, 1, NOW, ids()),
      invalidRequest(
        'The price specified is inactive. This field only accepts active prices.',
        undefined,
        'items[1][price]',
      ),
    );
    expectRefusal(
      () => buildItem({ price: price('a'), productName: 'Pro', quantity: -1 }, 1, NOW, ids()),
      invalidRequest('Invalid integer: -1', 'parameter_invalid_integer', 'items[1][quantity]'),
    );
  });
});
