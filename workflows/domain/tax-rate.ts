// A tax rate: a percentage the account defines once and attaches to invoices, invoice items and
// lines. Pure: the record, its creation and update rules. The percentage is kept as the exact
// decimal string the caller sent (at most four decimal places), never as a binary float; tax.ts
// computes with it in integers.
import { invalidRequest } from './errors';
import type { Metadata } from './common-types';

export type TaxType = string; // Stripe's tax_type values (vat, sales_tax, gst, ...)

export interface TaxRateRecord {
  id: string; // txr_...
  accountId: string;
  active: boolean;
  country: string | null;
  created: number;
  description: string | null;
  displayName: string;
  inclusive: boolean;
  jurisdiction: string | null;
  livemode: boolean;
  metadata: Metadata;
  percentage: string; // exact decimal, e.g. '8.25'
  state: string | null;
  taxType: TaxType | null;
}

export interface NewTaxRateInput {
  id: string;
  accountId: string;
  displayName: string;
  inclusive: boolean;
  percentage: string;
  active?: boolean;
  country?: string | null;
  description?: string | null;
  jurisdiction?: string | null;
  metadata?: Metadata;
  state?: string | null;
  taxType?: TaxType | null;
}

export interface TaxRateUpdate {
  active?: boolean;
  country?: string | null;
  description?: string | null;
  displayName?: string;
  jurisdiction?: string | null;
  metadata?: Metadata; // already merged with the rate's current metadata
  state?: string | null;
  taxType?: TaxType | null;
}

// Four decimal places: enough for every published rate (e.g. 8.875 %, 0.0625 %).
export const PERCENTAGE_SCALE = 4;
const PERCENTAGE_PATTERN = /^(\d{1,3})(?:\.(\d{1,4}))?$/;

// The percentage in ten-thousandths of a percent: '8.25' -> 82500. Throws on anything else.
export function percentageUnits(percentage: string): bigint {
  const match = PERCENTAGE_PATTERN.exec(percentage);
  if (!match) throw new RangeError(`Invalid percentage: '${percentage}'`);
  const fraction = (match[2] ?? '').padEnd(PERCENTAGE_SCALE, '0');
  return BigInt(match[1] + fraction);
}

// The canonical form stored and shown: no trailing zeros, no leading zeros ('08.50' -> '8.5').
export function normalizePercentage(value: string): string {
  const units = percentageUnits(value);
  const scale = 10n ** BigInt(PERCENTAGE_SCALE);
  const whole = (units / scale).toString();
  const fraction = (units % scale).toString().padStart(PERCENTAGE_SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

function assertPercentage(value: string): void {
  const match = PERCENTAGE_PATTERN.exec(value);
  if (!match || percentageUnits(value) > 100n * 10n ** BigInt(PERCENTAGE_SCALE)) {
    throw invalidRequest(
      'The percentage must be a number between 0 and 100, with at most four decimal places.',
      undefined,
      'percentage',
    );
  }
}

function assertDisplayName(value: string): void {
  if (value.trim() === '') {
    throw invalidRequest('display_name must not be blank.', 'parameter_invalid_string_blank', 'display_name');
  }
}

// ISO 3166-1 alpha-2, as Stripe requires for `country`.
function normalizeCountry(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (!/^[A-Za-z]{2}$/.test(value)) {
    throw invalidRequest(
      `Country '${value}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'.`,
      undefined,
      'country',
    );
  }
  return value.toUpperCase();
}

export function newTaxRate(input: NewTaxRateInput, now: number): TaxRateRecord {
  assertPercentage(input.percentage);
  assertDisplayName(input.displayName);
  return {
    id: input.id,
    accountId: input.accountId,
    active: input.active ?? true,
    country: normalizeCountry(input.country),
    created: now,
    description: input.description ?? null,
    displayName: input.displayName,
    inclusive: input.inclusive,
    jurisdiction: input.jurisdiction ?? null,
    livemode: false,
    metadata: input.metadata ?? {},
    percentage: normalizePercentage(input.percentage),
    state: input.state ?? null,
    taxType: input.taxType ?? null,
  };
}

// Stripe: percentage and inclusive are fixed once created (a new rate is made instead).
export function updateTaxRate(rate: TaxRateRecord, update: TaxRateUpdate): TaxRateRecord {
  if (update.displayName !== undefined) assertDisplayName(update.displayName);
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  return {
    ...rate,
    active: keep(update.active, rate.active),
    country: update.country === undefined ? rate.country : normalizeCountry(update.country),
    description: keep(update.description, rate.description),
    displayName: keep(update.displayName, rate.displayName),
    jurisdiction: keep(update.jurisdiction, rate.jurisdiction),
    metadata: keep(update.metadata, rate.metadata),
    state: keep(update.state, rate.state),
    taxType: keep(update.taxType, rate.taxType),
  };
}

// An archived rate keeps applying where it already is, but cannot be attached anew.
export function assertAttachable(rate: TaxRateRecord, param: string): void {
  if (!rate.active) {
    throw invalidRequest(
      `The tax rate ${rate.id} is inactive and cannot be applied to new objects.`,
      undefined,
      param,
    );
  }
}
