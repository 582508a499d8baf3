// The parameters of /v1/payment_intents, as Stripe names them.
import { MAX_AMOUNT } from '../../workflows/domain/money';
import { CANCELLATION_REASONS } from '../../workflows/domain/payment-intent';
import { paginationFields, rangeField } from '../stripe/list';
import {
  arrayOf,
  boolean,
  emptyable,
  expandField,
  integer,
  metadata,
  oneOf,
  required,
  string,
  type Schema,
} from '../stripe/params';

export const paymentIntentCreateSchema = {
  amount: required(integer({ min: 1, max: MAX_AMOUNT })),
  currency: required(string({ maxLength: 3 })),
  customer: string({ maxLength: 255 }),
  payment_method: string({ maxLength: 255 }),
  payment_method_types: arrayOf(string({ maxLength: 50 }), { max: 10 }),
  confirm: boolean(),
  capture_method: oneOf(['automatic', 'automatic_async', 'manual'] as const),
  confirmation_method: oneOf(['automatic', 'manual'] as const),
  off_session: boolean(),
  return_url: string({ maxLength: 2048 }),
  receipt_email: string({ maxLength: 800 }),
  setup_future_usage: oneOf(['off_session', 'on_session'] as const),
  statement_descriptor: string({ maxLength: 22 }),
  description: string({ maxLength: 1000 }),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

export const paymentIntentConfirmSchema = {
  payment_method: string({ maxLength: 255 }),
  return_url: string({ maxLength: 2048 }),
  off_session: boolean(),
  expand: expandField,
} satisfies Schema;

export const paymentIntentCancelSchema = {
  cancellation_reason: oneOf(CANCELLATION_REASONS),
  expand: expandField,
} satisfies Schema;

export const paymentIntentCaptureSchema = {
  amount_to_capture: integer({ min: 1, max: MAX_AMOUNT }),
  expand: expandField,
} satisfies Schema;

export const paymentIntentListSchema = {
  ...paginationFields,
  customer: string({ maxLength: 255 }),
  created: rangeField(),
  expand: expandField,
} satisfies Schema;
