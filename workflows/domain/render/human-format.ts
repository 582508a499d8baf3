// Money and dates as a customer reads them (English, UTC), for the hosted page, PDF and email.
import { isZeroDecimal } from '../money';

// Integer minor units -> "$1,234.56", "€12.00", "¥1,000", "-$5.00". Dividing by 100 is exact
// enough for display: amounts are far below 2^53 and are rounded to the same two digits.
export function formatMoney(amount: number, currency: string): string {
  const digits = isZeroDecimal(currency) ? 0 : 2;
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(digits === 0 ? amount : amount / 100);
}

// A unit price that may carry sub-cent decimals ("0.5" cents), shown with up to 4 more digits.
export function formatUnitDecimal(unitAmountDecimal: string, currency: string): string {
  const digits = isZeroDecimal(currency) ? 0 : 2;
  const value = Number(unitAmountDecimal) / 10 ** digits;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits + 4,
  }).format(value);
}

const LONG_DATE = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'long' });
const SHORT_DATE = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium' });

// Unix seconds -> "November 25, 2026".
export function formatDate(unixSeconds: number): string {
  return LONG_DATE.format(new Date(unixSeconds * 1000));
}

// A line's service period: "Nov 1, 2026 – Dec 1, 2026"; one date when it is an instant.
export function formatPeriod(start: number, end: number): string {
  if (start === end) return SHORT_DATE.format(new Date(start * 1000));
  return `${SHORT_DATE.format(new Date(start * 1000))} – ${SHORT_DATE.format(new Date(end * 1000))}`;
}
