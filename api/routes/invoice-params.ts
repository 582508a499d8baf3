import {
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
import { customFieldsField } from './customer-params';

export const invoiceCreateSchema = {
  customer: required(string({ maxLength: 255 })),
  currency: string({ maxLength: 3 }),
  auto_advance: boolean(),
  collection_method: oneOf(['charge_automatically', 'send_invoice'] as const),
  days_until_due: integer({ min: 0, max: 730 }),
  due_date: integer({ min: 0 }),
  description: string({ maxLength: 1500 }),
  footer: string({ maxLength: 5000 }),
  metadata: emptyable(metadata()),
  default_payment_method: string({ maxLength: 255 }),
  pending_invoice_items_behavior: oneOf(['exclude', 'include'] as const),
  custom_fields: customFieldsField,
  statement_descriptor: string({ maxLength: 22 }),
  expand: expandField,
} satisfies Schema;
