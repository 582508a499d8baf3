// Parameters of /v1/credit_notes, as the stripe package types them. The amount rules (what the
// invoice has left, how the post-payment part splits) are the domain's (credit-note.ts).
// Not offered, so answered parameter_unknown: refunds (linking existing refunds), shipping_cost,
// email_type, lines[][tax_rates], lines[][tax_amounts].
import { paginationFields, rangeField } from '../stripe/list';
import {
  arrayOf,
  emptyable,
  expandField,
  integer,
  metadata,
  object,
  oneOf,
  required,
  string,
  timestampField,
  type Infer,
  type Schema,
} from '../stripe/params';

const amount = integer({ min: 0, max: 99_999_999 });

export const creditNoteCreateSchema = {
  invoice: required(string({ maxLength: 255 })),
  amount,
  credit_amount: amount,
  refund_amount: amount,
  out_of_band_amount: amount,
  effective_at: timestampField,
  lines: arrayOf(
    object({
      type: required(oneOf(['invoice_line_item', 'custom_line_item'] as const)),
      invoice_line_item: string({ maxLength: 255 }),
      amount,
      quantity: integer({ min: 0, max: 1_000_000_000 }),
      unit_amount: amount,
      description: string({ maxLength: 5000 }),
      metadata: emptyable(metadata()),
    }),
    { max: 250 },
  ),
  memo: string({ maxLength: 5000 }),
  reason: oneOf(['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'] as const),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export type CreditNoteCreateParams = Infer<typeof creditNoteCreateSchema>;

export const creditNotePreviewLinesSchema = {
  ...creditNoteCreateSchema,
  ...paginationFields,
} satisfies Schema;

export const creditNoteUpdateSchema = {
  memo: emptyable(string({ maxLength: 5000 })),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const creditNoteListSchema = {
  ...paginationFields,
  invoice: string({ maxLength: 255 }),
  customer: string({ maxLength: 255 }),
  created: rangeField(),
  expand: expandField,
} satisfies Schema;

export const creditNoteLinesSchema = { ...paginationFields, expand: expandField } satisfies Schema;

export const expandOnly = { expand: expandField } satisfies Schema;
