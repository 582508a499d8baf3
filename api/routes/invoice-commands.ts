// snake_case request parameters → the domain's camelCase commands (the edge's only job here).
import { customerSnapshot } from '../../workflows/domain/customer';
import type { CustomerRecord } from '../../workflows/domain/customer';
import type {
  CreateInvoiceCommand,
  LineInput,
  LineUpdate,
  UpdateInvoiceCommand,
} from '../../workflows/domain/invoice';
import { invalidRequest } from '../../workflows/domain/errors';
import type { TaxRateRecord } from '../../workflows/domain/tax-rate';
import type { AppliedDiscount, DiscountInput } from '../../workflows/domain/discount';
import type { Metadata } from '../../workflows/domain/types';
import type { Infer } from '../stripe/params';
import type {
  addLinesSchema,
  invoiceCreateSchema,
  invoiceUpdateSchema,
  updateLinesSchema,
} from './invoice-params';

type CreateParams = Infer<typeof invoiceCreateSchema>;
type UpdateParams = Infer<typeof invoiceUpdateSchema>;
type LineParams = Infer<typeof addLinesSchema>['lines'][number];
type LineUpdateParams = Infer<typeof updateLinesSchema>['lines'][number];

export function withoutNulls(metadata: Record<string, string | null> | null | undefined): Metadata {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

// There is no tax service here: only tax rates. automatic_tax[enabled]=false is accepted as is.
export function refuseAutomaticTax(automaticTax: { enabled: boolean } | undefined): void {
  if (automaticTax?.enabled) {
    throw invalidRequest(
      'Automatic tax is not available on this server: attach tax rates (default_tax_rates, tax_rates) instead.',
      undefined,
      'automatic_tax[enabled]',
    );
  }
}

export function createCommand(
  invoiceId: string,
  accountId: string,
  params: CreateParams,
  customer: CustomerRecord,
  defaultTaxRates?: TaxRateRecord[],
  discounts?: DiscountInput[],
): CreateInvoiceCommand & { invoiceId: string } {
  return {
    ...(discounts && discounts.length > 0 ? { discounts } : {}),
    ...(defaultTaxRates && defaultTaxRates.length > 0 ? { defaultTaxRates } : {}),
    invoiceId,
    accountId,
    customerId: customer.id,
    currency: (params.currency ?? customer.currency ?? 'usd').toLowerCase(),
    customer: customerSnapshot(customer),
    testClockId: customer.testClockId,
    autoAdvance: params.auto_advance,
    automaticallyFinalizesAt: params.automatically_finalizes_at,
    collectionMethod: params.collection_method,
    daysUntilDue: params.days_until_due,
    dueDate: params.due_date,
    description: params.description ?? null,
    effectiveAt: params.effective_at,
    footer: params.footer ?? customer.invoiceSettings.footer,
    metadata: withoutNulls(params.metadata),
    customFields: params.custom_fields ?? customer.invoiceSettings.customFields,
    statementDescriptor: params.statement_descriptor ?? null,
    defaultPaymentMethod: params.default_payment_method ?? null,
  };
}

export function updateCommand(
  params: UpdateParams,
  defaultTaxRates?: TaxRateRecord[],
  discounts?: (DiscountInput | AppliedDiscount)[],
): UpdateInvoiceCommand {
  const command: UpdateInvoiceCommand = {};
  if (discounts !== undefined) command.discounts = discounts;
  if (defaultTaxRates !== undefined) command.defaultTaxRates = defaultTaxRates;
  if (params.auto_advance !== undefined) command.autoAdvance = params.auto_advance;
  if (params.automatically_finalizes_at !== undefined)
    command.automaticallyFinalizesAt = params.automatically_finalizes_at;
  if (params.collection_method !== undefined) command.collectionMethod = params.collection_method;
  if (params.custom_fields !== undefined) command.customFields = params.custom_fields;
  if (params.days_until_due !== undefined) command.daysUntilDue = params.days_until_due;
  if (params.default_payment_method !== undefined)
    command.defaultPaymentMethod = params.default_payment_method;
  if (params.description !== undefined) command.description = params.description;
  if (params.due_date !== undefined) command.dueDate = params.due_date;
  if (params.effective_at !== undefined) command.effectiveAt = params.effective_at;
  if (params.footer !== undefined) command.footer = params.footer;
  if (params.metadata !== undefined) command.metadata = params.metadata;
  if (params.statement_descriptor !== undefined) command.statementDescriptor = params.statement_descriptor;
  return command;
}

function pricing(
  line: LineParams,
): Pick<LineInput, 'amount' | 'unitAmountDecimal' | 'currency' | 'productId'> {
  const price = line.price_data;
  if (!price) return { amount: line.amount };
  return {
    amount: line.amount,
    currency: price.currency.toLowerCase(),
    productId: price.product ?? null,
    unitAmountDecimal:
      price.unit_amount_decimal ?? (price.unit_amount !== undefined ? String(price.unit_amount) : null),
  };
}

export function lineInput(
  line: LineParams,
  taxRates?: TaxRateRecord[],
  discounts?: AppliedDiscount[],
): LineInput {
  return {
    ...(discounts && discounts.length > 0 ? { discounts } : {}),
    ...(taxRates && taxRates.length > 0 ? { taxRates } : {}),
    ...pricing(line),
    quantity: line.quantity,
    description: line.description ?? null,
    discountable: line.discountable,
    metadata: withoutNulls(line.metadata),
    period: line.period,
  };
}

export function lineUpdate(
  line: LineUpdateParams,
  taxRates?: TaxRateRecord[],
  discounts?: AppliedDiscount[],
): LineUpdate {
  const update: LineUpdate = { id: line.id };
  if (discounts !== undefined) update.discounts = discounts;
  if (taxRates !== undefined) update.taxRates = taxRates;
  const priced = pricing(line);
  if (priced.amount !== undefined) update.amount = priced.amount;
  if (priced.unitAmountDecimal !== undefined) update.unitAmountDecimal = priced.unitAmountDecimal;
  if (priced.productId !== undefined) update.productId = priced.productId;
  if (line.quantity !== undefined) update.quantity = line.quantity;
  if (line.description !== undefined) update.description = line.description;
  if (line.discountable !== undefined) update.discountable = line.discountable;
  if (line.metadata !== undefined) update.metadata = withoutNulls(line.metadata);
  if (line.period !== undefined) update.period = line.period;
  return update;
}
