// Parameters of /v1/tax_rates, as the stripe package types them (TaxRateCreateParams, ...). The
// percentage's range and precision are the domain's rule (workflows/domain/tax-rate.ts).
import { paginationFields, rangeField } from '../stripe/list';
import {
  boolean,
  decimalString,
  emptyable,
  expandField,
  metadata,
  oneOf,
  required,
  string,
  type Schema,
} from '../stripe/params';

// prettier-ignore
const TAX_TYPES = [
  'admissions_tax', 'amusement_tax', 'attendance_tax', 'communications_tax', 'digital_excise_tax',
  'entertainment_tax', 'get_fund', 'gross_receipts_tax', 'gst', 'hospitality_tax', 'hst', 'igst',
  'jct', 'lease_tax', 'luxury_tax', 'mass_transit_parking_tax', 'nhil', 'parking_tax', 'pst', 'qst',
  'resort_tax', 'retail_delivery_fee', 'rst', 'sales_tax', 'service_tax', 'tourism_tax',
  'utility_users_tax', 'vat',
] as const;

const taxType = oneOf(TAX_TYPES);

export const taxRateCreateSchema = {
  display_name: required(string({ maxLength: 50 })),
  inclusive: required(boolean()),
  percentage: required(decimalString()),
  active: boolean(),
  country: string({ maxLength: 2 }),
  description: string({ maxLength: 5000 }),
  expand: expandField,
  jurisdiction: string({ maxLength: 50 }),
  metadata: emptyable(metadata()),
  state: string({ maxLength: 2 }),
  tax_type: taxType,
} satisfies Schema;

export const taxRateUpdateSchema = {
  active: boolean(),
  country: string({ maxLength: 2 }),
  description: string({ maxLength: 5000 }),
  display_name: string({ maxLength: 50 }),
  expand: expandField,
  jurisdiction: string({ maxLength: 50 }),
  metadata: emptyable(metadata()),
  state: string({ maxLength: 2 }),
  tax_type: taxType,
} satisfies Schema;

export const taxRateListSchema = {
  ...paginationFields,
  active: boolean(),
  created: rangeField(),
  expand: expandField,
  inclusive: boolean(),
} satisfies Schema;

export const taxRateRetrieveSchema = { expand: expandField } satisfies Schema;
