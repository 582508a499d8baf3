import { Router } from 'express';
import type { AppDeps } from '../app';
import { findCustomer } from '../../db/repositories/customers';
import { findInvoice } from '../../db/repositories/invoices';
import { newId } from '../../db/random-ids';
import { resourceMissing } from '../../workflows/domain/errors';
import { renderInvoice } from '../../workflows/domain/render/invoice';
import { renderCustomer } from '../../workflows/domain/render/customer';
import type { NewDraftInput } from '../../workflows/domain/new-draft';
import type { InvoiceState } from '../../workflows/domain/types';
import { startInvoice } from '../temporal';
import { inputOf, route } from '../stripe/handler';
import { expandField, parseParams, type Infer } from '../stripe/params';
import { invoiceCreateSchema } from './invoice-params';
import type { Database } from '../../db/connection';

async function renderWithExpansions(db: Database, state: InvoiceState, expand: string[] = []) {
  const invoice = renderInvoice(state) as unknown as Record<string, unknown>;
  if (expand.includes('customer')) {
    const customer = await findCustomer(db, state.accountId, state.customerId, { includeDeleted: true });
    if (customer) invoice.customer = renderCustomer(customer);
  }
  return invoice;
}

function draftFromParams(
  invoiceId: string,
  accountId: string,
  params: Infer<typeof invoiceCreateSchema>,
  customer: NonNullable<Awaited<ReturnType<typeof findCustomer>>>,
): NewDraftInput {
  const collectionMethod = params.collection_method ?? 'charge_automatically';
  return {
    invoiceId,
    accountId,
    customerId: customer.id,
    currency: params.currency ?? customer.currency ?? 'usd',
    customer: {
      email: customer.email,
      name: customer.name,
      phone: customer.phone,
      address: customer.address,
      taxExempt: customer.taxExempt,
    },
    testClockId: customer.testClockId,
    autoAdvance: params.auto_advance ?? false,
    collectionMethod,
    daysUntilDue: params.days_until_due ?? null,
    dueDate: params.due_date ?? null,
    description: params.description ?? null,
    footer: params.footer ?? customer.invoiceSettings.footer,
    metadata: Object.fromEntries(
      Object.entries(params.metadata ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
    ),
    customFields: params.custom_fields ?? customer.invoiceSettings.customFields,
    statementDescriptor: params.statement_descriptor ?? null,
    defaultPaymentMethod: params.default_payment_method ?? null,
    lines: [],
  };
}

export function invoiceRoutes({ db, temporal, taskQueue }: AppDeps): Router {
  const router = Router();

  router.post(
    '/invoices',
    route(async (ctx) => {
      const params = parseParams(invoiceCreateSchema, ctx.body);
      const customer = await findCustomer(db, ctx.account.id, params.customer);
      if (!customer) throw resourceMissing('customer', params.customer, 'customer');
      const invoiceId = newId('in');
      const state = await startInvoice(temporal, taskQueue, {
        accountId: ctx.account.id,
        draft: draftFromParams(invoiceId, ctx.account.id, params, customer),
      });
      return renderWithExpansions(db, state, params.expand);
    }),
  );

  router.get(
    '/invoices/:id',
    route(async (ctx) => {
      const params = parseParams({ expand: expandField }, inputOf(ctx));
      const state = await findInvoice(db, ctx.account.id, ctx.params.id);
      if (!state) throw resourceMissing('invoice', ctx.params.id);
      return renderWithExpansions(db, state, params.expand);
    }),
  );

  return router;
}
