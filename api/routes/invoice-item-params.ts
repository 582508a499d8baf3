// Parameters of /v1/invoiceitems, as Stripe's InvoiceItem*Params name them. Types and bounds are
// checked here; pricing rules (amount or unit_amount_decimal, the amount ceiling, currency) are
// the domain's (workflows/domain/invoice-item.ts).
import { paginationFields, rangeField } from '../stripe/list';
import { discountsField } from './discount-refs';
import {
  arrayOf,
  boolean,
  decimalString,
  emptyable,
  expandField,
  integer,
  metadata,
  object,
  required,
  string,
  type Infer,
  type Schema,
} from '../stripe/params';

const periodField = object({
  start: required(integer({ min: 0 })),
  end: required(integer({ min: 0 })),
});

export const invoiceItemCreateSchema = {
  customer: required(string({ maxLength: 255 })),
  amount: integer(),
  currency: string({ maxLength: 3 }),
  description: string({ maxLength: 5000 }),
  discountable: boolean(),
  invoice: string({ maxLength: 255 }),
  metadata: emptyable(metadata()),
  period: periodField,
  quantity: integer({ min: 0 }),
  unit_amount_decimal: decimalString(),
  tax_rates: arrayOf(string({ maxLength: 255 }), { max: 10 }),
  discounts: discountsField,
  expand: expandField,
} satisfies Schema;

export const invoiceItemUpdateSchema = {
  amount: integer(),
  description: emptyable(string({ maxLength: 5000 })),
  discountable: boolean(),
  metadata: emptyable(metadata()),
  period: periodField,
  quantity: integer({ min: 0 }),
  unit_amount_decimal: decimalString(),
  tax_rates: emptyable(arrayOf(string({ maxLength: 255 }), { max: 10 })),
  discounts: emptyable(discountsField),
  expand: expandField,
} satisfies Schema;

export type InvoiceItemUpdateParams = Infer<typeof invoiceItemUpdateSchema>;

export const invoiceItemRetrieveSchema = { expand: expandField } satisfies Schema;

export const invoiceItemListSchema = {
  ...paginationFields,
  created: rangeField(),
  customer: string({ maxLength: 255 }),
  invoice: string({ maxLength: 255 }),
  pending: boolean(),
  expand: expandField,
} satisfies Schema;
