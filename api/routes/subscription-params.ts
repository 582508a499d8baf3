// Parameters of /v1/subscriptions, as Stripe names and bounds them.
import { paginationFields, rangeField } from '../stripe/list';
import {
  arrayOf,
  boolean,
  emptyable,
  expandField,
  integer,
  metadata,
  object,
  oneOf,
  required,
  string,
  type Schema,
  timestampField,
  collectionMethodField,
} from '../stripe/params';

const timestamp = timestampField;
const collectionMethod = collectionMethodField;
export const prorationBehavior = oneOf(['create_prorations', 'always_invoice', 'none'] as const);
const paymentBehavior = oneOf([
  'allow_incomplete',
  'default_incomplete',
  'error_if_incomplete',
  'pending_if_incomplete',
] as const);

import { discountsField } from './discount-refs';

const taxRateIds = arrayOf(string({ maxLength: 255 }), { max: 10 });

const newItem = object({
  price: required(string({ maxLength: 255 })),
  quantity: integer({ min: 0, max: 1_000_000_000 }),
  metadata: emptyable(metadata()),
  tax_rates: emptyable(taxRateIds),
});

export const changedItem = object({
  id: string({ maxLength: 255 }),
  price: string({ maxLength: 255 }),
  quantity: integer({ min: 0, max: 1_000_000_000 }),
  deleted: boolean(),
  clear_usage: boolean(),
  metadata: emptyable(metadata()),
  tax_rates: emptyable(taxRateIds),
});

export const subscriptionCreateSchema = {
  customer: required(string({ maxLength: 255 })),
  items: required(arrayOf(newItem, { max: 20 })),
  currency: string({ maxLength: 3 }),
  collection_method: collectionMethod,
  days_until_due: integer({ min: 0, max: 730 }),
  default_payment_method: string({ maxLength: 255 }),
  billing_cycle_anchor: timestamp,
  proration_behavior: prorationBehavior,
  payment_behavior: paymentBehavior,
  off_session: boolean(),
  cancel_at_period_end: boolean(),
  cancel_at: timestamp,
  description: string({ maxLength: 500 }),
  metadata: emptyable(metadata()),
  default_tax_rates: emptyable(taxRateIds),
  discounts: discountsField,
  expand: expandField,
} satisfies Schema;

export const subscriptionUpdateSchema = {
  items: arrayOf(changedItem, { max: 20 }),
  proration_behavior: prorationBehavior,
  proration_date: timestamp,
  payment_behavior: paymentBehavior,
  off_session: boolean(),
  cancel_at_period_end: boolean(),
  cancel_at: emptyable(timestamp),
  collection_method: collectionMethod,
  days_until_due: integer({ min: 0, max: 730 }),
  default_payment_method: emptyable(string({ maxLength: 255 })),
  description: emptyable(string({ maxLength: 500 })),
  metadata: emptyable(metadata()),
  default_tax_rates: emptyable(taxRateIds),
  discounts: emptyable(discountsField),
  expand: expandField,
} satisfies Schema;

export const subscriptionCancelSchema = {
  invoice_now: boolean(),
  prorate: boolean(),
  cancellation_details: object({
    comment: emptyable(string({ maxLength: 5000 })),
    feedback: emptyable(string({ maxLength: 100 })),
  }),
  expand: expandField,
} satisfies Schema;

export const subscriptionListSchema = {
  ...paginationFields,
  customer: string({ maxLength: 255 }),
  price: string({ maxLength: 255 }),
  collection_method: collectionMethod,
  test_clock: string({ maxLength: 255 }),
  status: oneOf([
    'active',
    'all',
    'canceled',
    'ended',
    'incomplete',
    'incomplete_expired',
    'past_due',
    'paused',
    'trialing',
    'unpaid',
  ] as const),
  created: rangeField(),
  expand: expandField,
} satisfies Schema;

export const subscriptionRetrieveSchema = { expand: expandField } satisfies Schema;

export const subscriptionItemListSchema = {
  ...paginationFields,
  subscription: required(string({ maxLength: 255 })),
  expand: expandField,
} satisfies Schema;
