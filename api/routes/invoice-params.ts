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
  type Schema,
  timestampField,
  collectionMethodField,
} from '../stripe/params';
import { customFieldsField } from './customer-params';
import { discountsField } from './discount-refs';

const collectionMethod = collectionMethodField;
const taxRateIds = arrayOf(string({ maxLength: 255 }), { max: 10 });
// Parsed so that asking for it is refused by name (no tax service here), not as unknown.
const automaticTax = object({ enabled: required(boolean()) });
const timestamp = timestampField;

export const invoiceCreateSchema = {
  customer: required(string({ maxLength: 255 })),
  currency: string({ maxLength: 3 }),
  auto_advance: boolean(),
  automatically_finalizes_at: timestamp,
  collection_method: collectionMethod,
  days_until_due: integer({ min: 0, max: 730 }),
  due_date: timestamp,
  description: string({ maxLength: 1500 }),
  effective_at: timestamp,
  footer: string({ maxLength: 5000 }),
  metadata: emptyable(metadata()),
  default_payment_method: string({ maxLength: 255 }),
  pending_invoice_items_behavior: oneOf(['exclude', 'include'] as const),
  custom_fields: customFieldsField,
  statement_descriptor: string({ maxLength: 22 }),
  default_tax_rates: taxRateIds,
  discounts: discountsField,
  automatic_tax: automaticTax,
  expand: expandField,
} satisfies Schema;

export const invoiceUpdateSchema = {
  auto_advance: boolean(),
  automatically_finalizes_at: timestamp,
  collection_method: collectionMethod,
  custom_fields: customFieldsField,
  days_until_due: emptyable(integer({ min: 0, max: 730 })),
  default_payment_method: emptyable(string({ maxLength: 255 })),
  description: emptyable(string({ maxLength: 1500 })),
  due_date: emptyable(timestamp),
  effective_at: emptyable(timestamp),
  footer: emptyable(string({ maxLength: 5000 })),
  metadata: emptyable(metadata()),
  statement_descriptor: emptyable(string({ maxLength: 22 })),
  default_tax_rates: emptyable(taxRateIds),
  discounts: emptyable(discountsField),
  automatic_tax: automaticTax,
  expand: expandField,
} satisfies Schema;

export const invoiceListSchema = {
  ...paginationFields,
  customer: string({ maxLength: 255 }),
  status: oneOf(['draft', 'open', 'paid', 'uncollectible', 'void'] as const),
  collection_method: collectionMethod,
  subscription: string({ maxLength: 255 }),
  created: rangeField(),
  due_date: rangeField(),
  expand: expandField,
} satisfies Schema;

export const finalizeSchema = { auto_advance: boolean(), expand: expandField } satisfies Schema;

export const paySchema = {
  forgive: boolean(),
  mandate: emptyable(string({ maxLength: 255 })),
  off_session: boolean(),
  paid_out_of_band: boolean(),
  payment_method: string({ maxLength: 255 }),
  source: string({ maxLength: 255 }),
  expand: expandField,
} satisfies Schema;

export const expandOnlySchema = { expand: expandField } satisfies Schema;

const periodField = object({ start: required(timestamp), end: required(timestamp) });
const priceDataField = object({
  currency: required(string({ maxLength: 3 })),
  product: string({ maxLength: 255 }),
  unit_amount: integer({ min: 0, max: 99_999_999 }),
  unit_amount_decimal: decimalString(),
});
const lineFields = {
  amount: integer({ min: -99_999_999, max: 99_999_999 }),
  description: string({ maxLength: 5000 }),
  discountable: boolean(),
  metadata: emptyable(metadata()),
  period: periodField,
  price_data: priceDataField,
  quantity: integer({ min: 0, max: 1_000_000_000 }),
  tax_rates: emptyable(taxRateIds),
  discounts: emptyable(discountsField),
} satisfies Schema;

export const addLinesSchema = {
  lines: required(arrayOf(object(lineFields), { max: 250 })),
  invoice_metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const updateLinesSchema = {
  lines: required(arrayOf(object({ ...lineFields, id: required(string({ maxLength: 255 })) }), { max: 250 })),
  invoice_metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const removeLinesSchema = {
  lines: required(
    arrayOf(
      object({
        id: required(string({ maxLength: 255 })),
        behavior: required(oneOf(['delete', 'unassign'] as const)),
      }),
      { max: 250 },
    ),
  ),
  invoice_metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const linesListSchema = { ...paginationFields, expand: expandField } satisfies Schema;

export const attachPaymentSchema = {
  payment_intent: string({ maxLength: 255 }),
  payment_record: string({ maxLength: 255 }),
  expand: expandField,
} satisfies Schema;
