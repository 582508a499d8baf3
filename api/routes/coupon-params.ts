// Parameters of /v1/coupons and /v1/promotion_codes, as the stripe package types them. Amount,
// duration and redemption rules are the domain's (coupon.ts, promotion-code.ts). currency_options
// is not offered, so it answers parameter_unknown.
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
  timestampField,
  type Schema,
} from '../stripe/params';

export const couponCreateSchema = {
  id: string({ maxLength: 255 }),
  amount_off: integer({ min: 1, max: 99_999_999 }),
  currency: string({ maxLength: 3 }),
  percent_off: decimalString(),
  duration: oneOf(['once', 'repeating', 'forever'] as const),
  duration_in_months: integer({ min: 1, max: 1200 }),
  max_redemptions: integer({ min: 1 }),
  redeem_by: timestampField,
  applies_to: object({ products: arrayOf(string({ maxLength: 255 }), { max: 100 }) }),
  name: string({ maxLength: 40 }),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const couponUpdateSchema = {
  name: emptyable(string({ maxLength: 40 })),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const couponListSchema = {
  ...paginationFields,
  created: rangeField(),
  expand: expandField,
} satisfies Schema;

export const retrieveSchema = { expand: expandField } satisfies Schema;

export const promotionCodeCreateSchema = {
  promotion: required(
    object({ type: required(oneOf(['coupon'] as const)), coupon: string({ maxLength: 255 }) }),
  ),
  code: string({ maxLength: 500 }),
  active: boolean(),
  customer: string({ maxLength: 255 }),
  expires_at: timestampField,
  max_redemptions: integer({ min: 1 }),
  metadata: emptyable(metadata()),
  // Parsed so that a restriction we do not enforce is refused by name rather than ignored.
  restrictions: object({
    first_time_transaction: boolean(),
    minimum_amount: integer({ min: 0 }),
    minimum_amount_currency: string({ maxLength: 3 }),
  }),
  expand: expandField,
} satisfies Schema;

export const promotionCodeUpdateSchema = {
  active: boolean(),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const promotionCodeListSchema = {
  ...paginationFields,
  active: boolean(),
  code: string({ maxLength: 500 }),
  coupon: string({ maxLength: 255 }),
  customer: string({ maxLength: 255 }),
  created: rangeField(),
  expand: expandField,
} satisfies Schema;
