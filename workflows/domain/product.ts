// A product: what is sold. Prices point at it; it carries the name invoices and subscriptions
// show. Pure: the record and its creation defaults.
import type { Metadata } from './types';

export interface PackageDimensions {
  height: number;
  length: number;
  weight: number;
  width: number;
}

export interface ProductRecord {
  id: string; // prod_... or the caller's own id
  accountId: string;
  name: string;
  active: boolean;
  description: string | null;
  defaultPriceId: string | null;
  images: string[];
  marketingFeatures: { name: string }[];
  packageDimensions: PackageDimensions | null;
  shippable: boolean | null;
  statementDescriptor: string | null;
  taxCode: string | null;
  unitLabel: string | null;
  url: string | null;
  type: 'good' | 'service';
  metadata: Metadata;
  livemode: boolean;
  created: number; // unix seconds
  updated: number; // unix seconds
}

export type NewProductInput = Pick<ProductRecord, 'id' | 'accountId' | 'name'> &
  Partial<Omit<ProductRecord, 'id' | 'accountId' | 'name' | 'created' | 'updated'>>;

export function newProduct(input: NewProductInput, now: number): ProductRecord {
  return {
    id: input.id,
    accountId: input.accountId,
    name: input.name,
    active: input.active ?? true,
    description: input.description ?? null,
    defaultPriceId: input.defaultPriceId ?? null,
    images: input.images ?? [],
    marketingFeatures: input.marketingFeatures ?? [],
    packageDimensions: input.packageDimensions ?? null,
    shippable: input.shippable ?? null,
    statementDescriptor: input.statementDescriptor ?? null,
    taxCode: input.taxCode ?? null,
    unitLabel: input.unitLabel ?? null,
    url: input.url ?? null,
    // Stripe's default: `good` is only for the deprecated Orders API.
    type: input.type ?? 'service',
    metadata: input.metadata ?? {},
    livemode: input.livemode ?? false,
    created: now,
    updated: now,
  };
}

// Stripe: "Product IDs must be unique ... letters, numbers, underscores and hyphens"; we keep
// the same alphabet so ids stay safe in URLs and cursors.
export const PRODUCT_ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
