// Parameters of /v1/refunds, as the stripe package types them (RefundCreateParams, ...). Not
// offered, so answered parameter_unknown: refunds to a customer's cash balance (`origin`,
// `customer`, `currency`, `instructions_email`) and Connect's application fees and transfers.
import { MAX_AMOUNT } from '../../workflows/domain/money';
import { paginationFields, rangeField } from '../stripe/list';
import { emptyable, expandField, integer, metadata, oneOf, string, type Schema } from '../stripe/params';

export const refundCreateSchema = {
  payment_intent: string({ maxLength: 255 }),
  charge: string({ maxLength: 255 }),
  amount: integer({ min: 1, max: MAX_AMOUNT }),
  reason: oneOf(['duplicate', 'fraudulent', 'requested_by_customer'] as const),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const refundUpdateSchema = {
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const refundRetrieveSchema = { expand: expandField } satisfies Schema;

export const refundListSchema = {
  ...paginationFields,
  payment_intent: string({ maxLength: 255 }),
  charge: string({ maxLength: 255 }),
  created: rangeField(),
  expand: expandField,
} satisfies Schema;
