// Parameters of /v1/products and /v1/prices, as the stripe package types them. Only shape is
// checked here; pricing rules (one of unit_amount and unit_amount_decimal, recurrence limits,
// currency) live in workflows/domain/price.ts. Features not offered (tiers, currency_options,
// custom_unit_amount, transform_quantity, meters) are left out, so they answer parameter_unknown.
import { invalidRequest } from '../../workflows/domain/errors';
import { paginationFields, rangeField } from '../stripe/list';
import {
  arrayOf,
  boolean,
  decimalString,
  emptyable,
  expandField,
  integer,
  metadata,
  object,
  oneOf,
  required,
  string,
  type Field,
  type Schema,
} from '../stripe/params';

// package_dimensions are decimal numbers (inches and ounces), up to two places.
function dimension(): Field<number> {
  return {
    parse(raw, param) {
      if (typeof raw !== 'string' || !/^\d{1,8}(\.\d{1,2})?$/.test(raw) || Number(raw) <= 0) {
        throw invalidRequest(`Invalid ${param}: must be a positive number`, undefined, param);
      }
      return Number(raw);
    },
  };
}

const packageDimensions = object({
  height: required(dimension()),
  length: required(dimension()),
  weight: required(dimension()),
  width: required(dimension()),
});

const taxBehavior = oneOf(['exclusive', 'inclusive', 'unspecified'] as const);
const interval = oneOf(['day', 'week', 'month', 'year'] as const);
const marketingFeatures = arrayOf(object({ name: required(string({ maxLength: 80 })) }), { max: 15 });
const images = arrayOf(string({ maxLength: 2048 }), { max: 8 });

// The amount fields every way of creating a price shares.
const amountFields = {
  currency: required(string({ maxLength: 3 })),
  metadata: emptyable(metadata()),
  tax_behavior: taxBehavior,
  unit_amount: integer({ min: 0 }),
  unit_amount_decimal: decimalString(),
} satisfies Schema;

export const productCreateSchema = {
  name: required(string({ maxLength: 250 })),
  active: boolean(),
  default_price_data: object({
    ...amountFields,
    recurring: object({ interval: required(interval), interval_count: integer() }),
  }),
  description: string({ maxLength: 40_000 }),
  expand: expandField,
  id: string({ maxLength: 255 }),
  images,
  marketing_features: marketingFeatures,
  metadata: emptyable(metadata()),
  package_dimensions: packageDimensions,
  shippable: boolean(),
  statement_descriptor: string({ maxLength: 22 }),
  tax_code: string({ maxLength: 255 }),
  type: oneOf(['good', 'service'] as const),
  unit_label: string({ maxLength: 12 }),
  url: string({ maxLength: 5000 }),
} satisfies Schema;

export const productUpdateSchema = {
  active: boolean(),
  default_price: string({ maxLength: 255 }),
  description: emptyable(string({ maxLength: 40_000 })),
  expand: expandField,
  images: emptyable(images),
  marketing_features: emptyable(marketingFeatures),
  metadata: emptyable(metadata()),
  name: string({ maxLength: 250 }),
  package_dimensions: emptyable(packageDimensions),
  shippable: boolean(),
  statement_descriptor: string({ maxLength: 22 }),
  tax_code: emptyable(string({ maxLength: 255 })),
  unit_label: emptyable(string({ maxLength: 12 })),
  url: emptyable(string({ maxLength: 5000 })),
} satisfies Schema;

export const productListSchema = {
  ...paginationFields,
  active: boolean(),
  created: rangeField(),
  expand: expandField,
  ids: arrayOf(string({ maxLength: 255 }), { max: 100 }),
  shippable: boolean(),
  type: oneOf(['good', 'service'] as const),
  url: string({ maxLength: 5000 }),
} satisfies Schema;

export const priceCreateSchema = {
  ...amountFields,
  active: boolean(),
  // Only per_unit is offered; `tiered` is refused naming billing_scheme.
  billing_scheme: oneOf(['per_unit'] as const),
  expand: expandField,
  lookup_key: string({ maxLength: 200 }),
  nickname: string({ maxLength: 5000 }),
  product: string({ maxLength: 255 }),
  product_data: object({
    name: required(string({ maxLength: 250 })),
    active: boolean(),
    id: string({ maxLength: 255 }),
    metadata: emptyable(metadata()),
    statement_descriptor: string({ maxLength: 22 }),
    tax_code: string({ maxLength: 255 }),
    unit_label: string({ maxLength: 12 }),
  }),
  recurring: object({
    interval: required(interval),
    interval_count: integer(),
    trial_period_days: integer({ min: 1, max: 730 }),
    // `metered` parses, then the domain refuses it naming recurring[usage_type].
    usage_type: oneOf(['licensed', 'metered'] as const),
  }),
  transfer_lookup_key: boolean(),
} satisfies Schema;

export const priceUpdateSchema = {
  active: boolean(),
  expand: expandField,
  lookup_key: emptyable(string({ maxLength: 200 })),
  metadata: emptyable(metadata()),
  nickname: emptyable(string({ maxLength: 5000 })),
  tax_behavior: taxBehavior,
  transfer_lookup_key: boolean(),
} satisfies Schema;

export const priceListSchema = {
  ...paginationFields,
  active: boolean(),
  created: rangeField(),
  currency: string({ maxLength: 3 }),
  expand: expandField,
  lookup_keys: arrayOf(string({ maxLength: 200 }), { max: 10 }),
  product: string({ maxLength: 255 }),
  recurring: object({ interval, usage_type: oneOf(['licensed', 'metered'] as const) }),
  type: oneOf(['one_time', 'recurring'] as const),
} satisfies Schema;

export const retrieveSchema = { expand: expandField } satisfies Schema;
