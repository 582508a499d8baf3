import fc from 'fast-check';
import {
  approximateSeconds,
  boundary,
  nextBoundary,
  periodContaining,
  sameRecurrence,
  type Recurrence,
} from '../../../workflows/domain/billing-period';
import type { PriceInterval } from '../../../workflows/domain/price';
import { DAY, utc } from './support';

const monthly: Recurrence = { interval: 'month', intervalCount: 1 };
const yearly: Recurrence = { interval: 'year', intervalCount: 1 };

describe('boundary', () => {
  it('is the anchor itself at n = 0', () => {
    const anchor = utc(2030, 1, 31, 12, 30, 15);
    expect(boundary(anchor, monthly, 0)).toBe(anchor);
  });

  it('clamps a monthly anchor on the 31st to the month end, then returns to the 31st', () => {
    // Every boundary is counted from the anchor: 31 Jan -> 28 Feb -> 31 Mar (not 28 Mar).
    const anchor = utc(2030, 1, 31, 12, 30, 15);
    expect(boundary(anchor, monthly, 1)).toBe(utc(2030, 2, 28, 12, 30, 15));
    expect(boundary(anchor, monthly, 2)).toBe(utc(2030, 3, 31, 12, 30, 15));
    expect(boundary(anchor, monthly, 3)).toBe(utc(2030, 4, 30, 12, 30, 15));
    expect(boundary(anchor, monthly, 4)).toBe(utc(2030, 5, 31, 12, 30, 15));
  });

  it('gives 29 Feb in a leap year', () => {
    expect(boundary(utc(2028, 1, 31), monthly, 1)).toBe(utc(2028, 2, 29));
    expect(boundary(utc(2028, 1, 30), monthly, 1)).toBe(utc(2028, 2, 29));
    expect(boundary(utc(2028, 1, 29), monthly, 1)).toBe(utc(2028, 2, 29));
    expect(boundary(utc(2028, 1, 28), monthly, 1)).toBe(utc(2028, 2, 28));
  });

  it('counts backwards for negative n, with the same clamping', () => {
    const anchor = utc(2030, 3, 31);
    expect(boundary(anchor, monthly, -1)).toBe(utc(2030, 2, 28));
    expect(boundary(anchor, monthly, -2)).toBe(utc(2030, 1, 31));
    expect(boundary(anchor, monthly, -3)).toBe(utc(2029, 12, 31));
    expect(boundary(anchor, monthly, -13)).toBe(utc(2029, 2, 28));
  });

  it('crosses year ends in both directions', () => {
    expect(boundary(utc(2029, 12, 15), monthly, 1)).toBe(utc(2030, 1, 15));
    expect(boundary(utc(2030, 1, 15), monthly, -1)).toBe(utc(2029, 12, 15));
    expect(boundary(utc(2029, 11, 30), monthly, 14)).toBe(utc(2031, 1, 30));
  });

  it('steps interval_count months at a time, each from the anchor', () => {
    const quarterly: Recurrence = { interval: 'month', intervalCount: 3 };
    const anchor = utc(2029, 11, 30);
    expect(boundary(anchor, quarterly, 1)).toBe(utc(2030, 2, 28)); // 30 Nov + 3 months, clamped
    expect(boundary(anchor, quarterly, 2)).toBe(utc(2030, 5, 30)); // back to the 30th
    expect(boundary(anchor, quarterly, 4)).toBe(utc(2030, 11, 30));
    expect(boundary(anchor, quarterly, -1)).toBe(utc(2029, 8, 30));
  });

  it('moves a 29 Feb yearly anchor to 28 Feb in common years and back in leap years', () => {
    const anchor = utc(2028, 2, 29, 8);
    expect(boundary(anchor, yearly, 1)).toBe(utc(2029, 2, 28, 8));
    expect(boundary(anchor, yearly, 3)).toBe(utc(2031, 2, 28, 8));
    expect(boundary(anchor, yearly, 4)).toBe(utc(2032, 2, 29, 8));
    expect(boundary(anchor, yearly, -1)).toBe(utc(2027, 2, 28, 8));
    expect(boundary(anchor, { interval: 'year', intervalCount: 2 }, 2)).toBe(utc(2032, 2, 29, 8));
  });

  it('adds whole weeks and days as fixed seconds (UTC has no DST)', () => {
    const anchor = utc(2030, 3, 25, 1, 30);
    expect(boundary(anchor, { interval: 'week', intervalCount: 1 }, 1)).toBe(anchor + 7 * DAY);
    expect(boundary(anchor, { interval: 'week', intervalCount: 2 }, 3)).toBe(anchor + 42 * DAY);
    expect(boundary(anchor, { interval: 'day', intervalCount: 1 }, 1)).toBe(utc(2030, 3, 26, 1, 30));
    expect(boundary(anchor, { interval: 'day', intervalCount: 10 }, -1)).toBe(utc(2030, 3, 15, 1, 30));
    // 28 Feb 2030 + 1 day is 1 Mar (2030 is not a leap year).
    expect(boundary(utc(2030, 2, 28), { interval: 'day', intervalCount: 1 }, 1)).toBe(utc(2030, 3, 1));
  });
});

describe('nextBoundary', () => {
  const anchor = utc(2030, 1, 31, 9);

  it('is the end of the period a time falls inside', () => {
    expect(nextBoundary(anchor, monthly, utc(2030, 2, 10))).toBe(utc(2030, 2, 28, 9));
    expect(nextBoundary(anchor, monthly, utc(2030, 3, 1))).toBe(utc(2030, 3, 31, 9));
  });

  it('is strictly after: a time exactly on a boundary gives the following one', () => {
    expect(nextBoundary(anchor, monthly, anchor)).toBe(utc(2030, 2, 28, 9));
    expect(nextBoundary(anchor, monthly, utc(2030, 2, 28, 9))).toBe(utc(2030, 3, 31, 9));
  });

  it('is the boundary itself one second before it', () => {
    expect(nextBoundary(anchor, monthly, utc(2030, 2, 28, 9) - 1)).toBe(utc(2030, 2, 28, 9));
  });

  it('works before the anchor (the anchor is then the next boundary)', () => {
    expect(nextBoundary(anchor, monthly, utc(2030, 1, 15))).toBe(anchor);
    expect(nextBoundary(anchor, monthly, utc(2029, 12, 31, 9))).toBe(anchor);
    expect(nextBoundary(anchor, monthly, utc(2029, 12, 31, 9) - 1)).toBe(utc(2029, 12, 31, 9));
  });

  it('finds the right boundary far from the anchor', () => {
    // Ten years of 30-day estimates drift by ~50 days; the search still lands on 31 Jul 2040.
    expect(nextBoundary(anchor, monthly, utc(2040, 7, 1))).toBe(utc(2040, 7, 31, 9));
    expect(nextBoundary(anchor, monthly, utc(2040, 2, 29, 10))).toBe(utc(2040, 3, 31, 9));
  });

  it('handles yearly anchors on 29 Feb and weekly anchors', () => {
    const leap = utc(2028, 2, 29);
    expect(nextBoundary(leap, yearly, utc(2029, 3, 1))).toBe(utc(2030, 2, 28));
    expect(nextBoundary(leap, yearly, utc(2031, 2, 28))).toBe(utc(2032, 2, 29));
    const weekly: Recurrence = { interval: 'week', intervalCount: 1 };
    expect(nextBoundary(anchor, weekly, anchor + 3 * DAY)).toBe(anchor + 7 * DAY);
    expect(nextBoundary(anchor, weekly, anchor + 7 * DAY)).toBe(anchor + 14 * DAY);
  });
});

describe('periodContaining', () => {
  const anchor = utc(2030, 1, 31);

  it('is [last boundary <= at, next boundary)', () => {
    expect(periodContaining(anchor, monthly, utc(2030, 3, 5, 12))).toEqual({
      start: utc(2030, 2, 28),
      end: utc(2030, 3, 31),
    });
  });

  it('starts exactly at a boundary that equals at', () => {
    expect(periodContaining(anchor, monthly, utc(2030, 2, 28))).toEqual({
      start: utc(2030, 2, 28),
      end: utc(2030, 3, 31),
    });
    expect(periodContaining(anchor, monthly, anchor)).toEqual({ start: anchor, end: utc(2030, 2, 28) });
  });

  it('ends at the boundary one second later', () => {
    expect(periodContaining(anchor, monthly, utc(2030, 2, 28) - 1)).toEqual({
      start: anchor,
      end: utc(2030, 2, 28),
    });
  });

  it('extends backwards before the anchor', () => {
    expect(periodContaining(anchor, monthly, utc(2030, 1, 15))).toEqual({
      start: utc(2029, 12, 31),
      end: anchor,
    });
  });

  it('spans interval_count intervals', () => {
    const quarterly: Recurrence = { interval: 'month', intervalCount: 3 };
    expect(periodContaining(utc(2029, 11, 30), quarterly, utc(2030, 3, 1))).toEqual({
      start: utc(2030, 2, 28),
      end: utc(2030, 5, 30),
    });
    const tenDays: Recurrence = { interval: 'day', intervalCount: 10 };
    expect(periodContaining(anchor, tenDays, anchor + 25 * DAY)).toEqual({
      start: anchor + 20 * DAY,
      end: anchor + 30 * DAY,
    });
  });

  it('gives a 366-day year across 29 Feb', () => {
    const period = periodContaining(utc(2027, 6, 1), yearly, utc(2028, 3, 1));
    expect(period).toEqual({ start: utc(2027, 6, 1), end: utc(2028, 6, 1) });
    expect(period.end - period.start).toBe(366 * DAY);
  });
});

describe('sameRecurrence and approximateSeconds', () => {
  it('compares interval and count', () => {
    expect(sameRecurrence(monthly, { interval: 'month', intervalCount: 1 })).toBe(true);
    expect(sameRecurrence(monthly, { interval: 'month', intervalCount: 2 })).toBe(false);
    expect(sameRecurrence(monthly, yearly)).toBe(false);
  });

  it('estimates 1, 7, 30 and 365 days per interval', () => {
    expect(approximateSeconds({ interval: 'day', intervalCount: 3 })).toBe(3 * DAY);
    expect(approximateSeconds({ interval: 'week', intervalCount: 2 })).toBe(14 * DAY);
    expect(approximateSeconds(monthly)).toBe(30 * DAY);
    expect(approximateSeconds(yearly)).toBe(365 * DAY);
  });
});

describe('billing period properties', () => {
  // Stripe's limits: three years of any interval.
  const recurrence: fc.Arbitrary<Recurrence> = fc.oneof(
    ...(
      [
        ['day', 1095],
        ['week', 156],
        ['month', 36],
        ['year', 3],
      ] as Array<[PriceInterval, number]>
    ).map(([interval, max]) =>
      fc.integer({ min: 1, max }).map((intervalCount) => ({ interval, intervalCount })),
    ),
  );
  const anchor = fc.integer({ min: utc(2000, 1, 1), max: utc(2060, 1, 1) });

  it('makes 100 contiguous periods from any anchor: the end of one is the start of the next', () => {
    fc.assert(
      fc.property(anchor, recurrence, (a, r) => {
        // Plain comparisons in the loop (expect() per step is slow); one assertion at the end.
        const broken: string[] = [];
        let previous = periodContaining(a, r, a);
        if (previous.start !== a) broken.push('first period does not start at the anchor');
        for (let k = 1; k < 100; k++) {
          const period = periodContaining(a, r, previous.end);
          if (period.start !== previous.end) broken.push(`gap before period ${k}`);
          if (period.end <= period.start) broken.push(`empty period ${k}`);
          if (period.end !== boundary(a, r, k + 1)) broken.push(`period ${k} ends off its boundary`);
          previous = period;
        }
        expect(broken).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('puts any time in exactly the period that contains it', () => {
    const offset = fc.integer({ min: -20 * 365 * DAY, max: 20 * 365 * DAY });
    fc.assert(
      fc.property(anchor, recurrence, offset, (a, r, delta) => {
        const at = a + delta;
        const period = periodContaining(a, r, at);
        expect(period.start).toBeLessThanOrEqual(at);
        expect(period.end).toBeGreaterThan(at);
        expect(period.end).toBe(nextBoundary(a, r, at));
        // The start is itself a boundary: the next boundary after the second before it.
        expect(nextBoundary(a, r, period.start - 1)).toBe(period.start);
      }),
    );
  });

  it('keeps the anchor day of month, clamped to the month length', () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: -120, max: 120 }), (a, n) => {
        const at = new Date(boundary(a, monthly, n) * 1000);
        const anchorDate = new Date(a * 1000);
        const monthLength = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
        expect(at.getUTCDate()).toBe(Math.min(anchorDate.getUTCDate(), monthLength));
        expect(at.getUTCSeconds() + at.getUTCMinutes() * 60 + at.getUTCHours() * 3600).toBe(a % DAY);
      }),
    );
  });
});
