// Billing periods of a recurring price, as Stripe counts them: every period boundary is the
// anchor plus a whole number of intervals, each computed from the anchor (never chained), so a
// monthly anchor on the 31st gives 28 Feb (or 29) and then 31 Mar again. Times are UTC seconds.
import type { PriceInterval } from './price';
import type { Period } from './common-types';

export interface Recurrence {
  interval: PriceInterval;
  intervalCount: number;
}

const DAY = 86_400;

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

function addMonths(at: number, months: number): number {
  const date = new Date(at * 1000);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  return Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()) / 1000;
}

// The boundary `n` intervals after the anchor (n may be negative).
export function boundary(anchor: number, recurrence: Recurrence, n: number): number {
  const steps = n * recurrence.intervalCount;
  switch (recurrence.interval) {
    case 'day':
      return anchor + steps * DAY;
    case 'week':
      return anchor + steps * 7 * DAY;
    case 'month':
      return addMonths(anchor, steps);
    case 'year':
      return addMonths(anchor, steps * 12);
  }
}

// The first boundary strictly after `at`.
export function nextBoundary(anchor: number, recurrence: Recurrence, at: number): number {
  const roughPeriod = approximateSeconds(recurrence);
  let n = Math.floor((at - anchor) / roughPeriod) - 1;
  while (boundary(anchor, recurrence, n) > at) n--;
  while (boundary(anchor, recurrence, n) <= at) n++;
  return boundary(anchor, recurrence, n);
}

// The period that contains `at`: [last boundary <= at, next boundary).
export function periodContaining(anchor: number, recurrence: Recurrence, at: number): Period {
  const end = nextBoundary(anchor, recurrence, at);
  const roughPeriod = approximateSeconds(recurrence);
  let n = Math.round((end - anchor) / roughPeriod);
  while (boundary(anchor, recurrence, n) < end) n++;
  while (boundary(anchor, recurrence, n) > end) n--;
  return { start: boundary(anchor, recurrence, n - 1), end };
}

export function approximateSeconds(recurrence: Recurrence): number {
  const days = { day: 1, week: 7, month: 30, year: 365 }[recurrence.interval];
  return days * DAY * recurrence.intervalCount;
}

export function sameRecurrence(a: Recurrence, b: Recurrence): boolean {
  return a.interval === b.interval && a.intervalCount === b.intervalCount;
}
