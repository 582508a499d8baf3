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
  type Schema,
} from '../stripe/params';

const addressField = object({
  city: emptyable(string({ maxLength: 200 })),
  country: emptyable(string({ maxLength: 2 })),
  line1: emptyable(string({ maxLength: 200 })),
  line2: emptyable(string({ maxLength: 200 })),
  postal_code: emptyable(string({ maxLength: 20 })),
  state: emptyable(string({ maxLength: 200 })),
});

export const customFieldsField = emptyable(
  arrayOf(
    object({ name: required(string({ maxLength: 40 })), value: required(string({ maxLength: 140 })) }),
    {
      max: 4,
    },
  ),
);

const customerFields = {
  address: emptyable(addressField),
  balance: integer({ min: -99_999_999_999, max: 99_999_999_999 }),
  description: emptyable(string({ maxLength: 350 })),
  email: emptyable(string({ maxLength: 512 })),
  invoice_prefix: string({ maxLength: 12 }),
  invoice_settings: object({
    custom_fields: customFieldsField,
    default_payment_method: emptyable(string({ maxLength: 255 })),
    footer: emptyable(string({ maxLength: 5000 })),
  }),
  metadata: emptyable(metadata()),
  name: emptyable(string({ maxLength: 256 })),
  next_invoice_sequence: integer({ min: 1, max: 1_000_000_000 }),
  phone: emptyable(string({ maxLength: 20 })),
  preferred_locales: emptyable(arrayOf(string({ maxLength: 20 }), { max: 10 })),
  shipping: emptyable(
    object({
      address: required(addressField),
      name: required(string({ maxLength: 256 })),
      phone: emptyable(string({ maxLength: 20 })),
    }),
  ),
  tax_exempt: emptyable(oneOf(['none', 'exempt', 'reverse'] as const)),
  expand: expandField,
} satisfies Schema;

// A customer joins a test clock at creation, for good: Stripe offers no way to change it.
export const customerCreateSchema = {
  ...customerFields,
  test_clock: string({ maxLength: 255 }),
} satisfies Schema;
export const customerUpdateSchema = customerFields;
