// Every refusal of the invoice state machine, worded as Stripe words it. Wrong-state refusals
// carry no `code` on Stripe's wire (recorded against the live API: "You can only pass in open
// invoices. This invoice isn't open." has type and message only), so they carry none here either;
// a code appears only where Stripe sends one (invoice_not_editable on line edits).
import { DomainError, invalidRequest, resourceMissing } from './errors';
import { MAX_AMOUNT, SUPPORTED_CURRENCIES } from './money';

export const MAX_LINES = 250;

export const refusals = {
  invoiceMissing: (id: string) => resourceMissing('invoice', id),

  alreadyFinalized: () =>
    invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice."),

  // Line edits (add/update/remove) on a finalized invoice.
  notEditable: () =>
    invalidRequest('Invalid invoice: This invoice is no longer editable', 'invoice_not_editable'),

  // A field that only drafts accept, sent to a finalized invoice.
  finalizedUpdate: (param: string) =>
    invalidRequest("Finalized invoices can't be updated in this way", undefined, param),

  notOpen: () => invalidRequest("You can only pass in open invoices. This invoice isn't open."),

  alreadyUncollectible: () => invalidRequest('This invoice has already been marked uncollectible.'),

  paidCannotBeVoided: () => invalidRequest('Invoices with `paid` payments cannot be voided.'),

  alreadyPaid: () => invalidRequest('Invoice is already paid'),

  onlyDraftsDeletable: () => invalidRequest('You can only delete draft invoices.'),

  subscriptionDraftNotDeletable: () => invalidRequest("You can't delete invoices created by subscriptions."),

  manualSendNeedsSendInvoice: () =>
    invalidRequest("You can only manually send an invoice if its collection method is 'send_invoice'."),

  cannotSend: () =>
    invalidRequest(
      'This invoice cannot be sent right now. Please contact us via https://support.stripe.com/contact with details, so we can help.',
    ),

  dueDateRequired: () =>
    invalidRequest(
      "If invoice collection method is 'send_invoice', you must specify 'due_date' or 'days_until_due'.",
    ),

  dueDateNotAllowed: () =>
    invalidRequest(
      "You can only specify 'due_date' or 'days_until_due' if invoice collection method is 'send_invoice'.",
    ),

  dueDateExclusive: () =>
    invalidRequest(
      'You may only specify one of these parameters: days_until_due, due_date.',
      'parameters_exclusive',
      'days_until_due',
    ),

  invalidCurrency: (currency: string) =>
    invalidRequest(
      `Invalid currency: ${currency}. Stripe currently supports these currencies: ${[...SUPPORTED_CURRENCIES].join(', ')}`,
      undefined,
      'currency',
    ),

  currencyMismatch: (param: string, lineCurrency: string, invoiceCurrency: string) =>
    invalidRequest(
      `The line's currency (${lineCurrency}) must match the invoice's currency (${invoiceCurrency}).`,
      undefined,
      param,
    ),

  tooManyLines: () =>
    invalidRequest(`An invoice can have at most ${MAX_LINES} line items.`, undefined, 'lines'),

  invalidInteger: (param: string, value: unknown) =>
    invalidRequest(`Invalid integer: ${String(value)}`, 'parameter_invalid_integer', param),

  invalidDecimal: (param: string, value: unknown) =>
    invalidRequest(`Invalid decimal: ${String(value)}`, undefined, param),

  amountTooLarge: (param: string) =>
    invalidRequest(
      `Amount must be no more than ${MAX_AMOUNT} in the currency's smallest unit.`,
      'amount_too_large',
      param,
    ),

  amountRequired: (param: string) =>
    invalidRequest(`Missing required param: ${param}.`, 'parameter_missing', param),

  // Ids named inside a request body are refused at 400, not 404 (Stripe's own split).
  lineMissing: (id: string, param: string) =>
    new DomainError({
      status: 400,
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such invoice line item: '${id}'`,
      param,
    }),
};

export type RefusalName = keyof typeof refusals;
