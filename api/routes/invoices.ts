import { Router } from 'express';
import type { AppDeps } from '../deps';
import { findCustomer } from '../../db/repositories/customers';
import { findInvoice } from '../../db/repositories/invoices';
import { idForRequest } from '../stripe/idempotent-ids';
import { resourceMissing } from '../../workflows/domain/errors';
import { renderDeletedInvoice } from '../../workflows/domain/render/invoice';
import type { InvoiceState } from '../../workflows/domain/types';
import { deleteInvoice, updateInvoice } from '../../workflows/messages';
import { startInvoice, updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { inputOf, route } from '../stripe/handler';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { createCommand, refuseAutomaticTax, updateCommand } from './invoice-commands';
import { resolveTaxRates } from './tax-rate-refs';
import { resolveDiscounts, withRedemptions, type ResolvedDiscounts } from './discount-refs';
import type { DiscountInput } from '../../workflows/domain/discount';
import {
  expandOnlySchema,
  invoiceCreateSchema,
  invoiceListSchema,
  invoiceUpdateSchema,
} from './invoice-params';
import { callerOf, presentInvoice } from './invoice-view';
import { invoiceActionRoutes } from './invoice-actions';
import { invoiceLineRoutes } from './invoice-lines';
import { invoiceStartFor } from '../../db/repositories/invoice-start';

export function invoiceRoutes(deps: AppDeps): Router {
  const { db, temporal, taskQueue } = deps;
  const router = Router();

  router.post(
    '/invoices',
    route(async (ctx) => {
      const params = parseParams(invoiceCreateSchema, ctx.body);
      refuseAutomaticTax(params.automatic_tax);
      const customer = await findCustomer(db, ctx.account.id, params.customer);
      if (!customer) throw resourceMissing('customer', params.customer, 'customer');
      const taxRates = await resolveTaxRates(
        db,
        ctx.account.id,
        params.default_tax_rates,
        'default_tax_rates',
      );
      const start = await invoiceStartFor(db, ctx.account.id, customer);
      const command = createCommand(idForRequest('in', ctx), ctx.account.id, params, customer, taxRates);
      const discounts = await resolveDiscounts(db, ctx, params.discounts, {
        customerId: customer.id,
        currency: command.currency,
      });
      const state = await withRedemptions(db, ctx.account.id, discounts, () =>
        startInvoice(
          temporal,
          taskQueue,
          {
            ...callerOf(ctx),
            command: { ...command, discounts: discounts?.discounts as DiscountInput[] | undefined },
            includePendingItems: params.pending_invoice_items_behavior === 'include',
          },
          start,
        ),
      );
      return presentInvoice(db, state, params.expand);
    }),
  );

  router.get(
    '/invoices',
    route(async (ctx) => {
      const params = parseParams(invoiceListSchema, inputOf(ctx));
      let base = db('invoices').where({ account_id: ctx.account.id, deleted: false });
      if (params.customer !== undefined) base = base.andWhere({ customer_id: params.customer });
      if (params.status !== undefined) base = base.andWhere({ status: params.status });
      if (params.collection_method !== undefined)
        base = base.andWhere({ collection_method: params.collection_method });
      if (params.subscription !== undefined) base = base.andWhere({ subscription_id: params.subscription });
      base = applyRange(applyRange(base, 'created', params.created), 'due_date', params.due_date);
      const page = await fetchPage<{ state: InvoiceState }>(
        base.select('seq', 'id', 'state'),
        params,
        'invoice',
      );
      const data = await Promise.all(
        page.rows.map((row) => presentInvoice(db, row.state, nestedExpand(params.expand))),
      );
      return listObject('/v1/invoices', data, page.hasMore);
    }),
  );

  router.get(
    '/invoices/:id',
    route(async (ctx) => {
      const params = parseParams(expandOnlySchema, inputOf(ctx));
      const state = await findInvoice(db, ctx.account.id, ctx.params.id);
      if (!state) throw resourceMissing('invoice', ctx.params.id);
      return presentInvoice(db, state, params.expand);
    }),
  );

  router.post(
    '/invoices/:id',
    route(async (ctx) => {
      const params = parseParams(invoiceUpdateSchema, ctx.body);
      refuseAutomaticTax(params.automatic_tax);
      const taxRates = await resolveTaxRates(
        db,
        ctx.account.id,
        params.default_tax_rates,
        'default_tax_rates',
      );
      let discounts: ResolvedDiscounts | undefined;
      if (params.discounts !== undefined) {
        const current = await findInvoice(db, ctx.account.id, ctx.params.id);
        if (!current) throw resourceMissing('invoice', ctx.params.id);
        discounts = await resolveDiscounts(db, ctx, params.discounts, {
          customerId: current.customerId,
          currency: current.currency,
          existing: current.discounts ?? [],
        });
      }
      const state = await withRedemptions(db, ctx.account.id, discounts, () =>
        updateInvoiceWorkflow(temporal, ctx.params.id, updateInvoice, {
          ...callerOf(ctx),
          command: updateCommand(params, taxRates, discounts?.discounts),
        }),
      );
      return presentInvoice(db, state, params.expand);
    }),
  );

  router.delete(
    '/invoices/:id',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx));
      await updateInvoiceWorkflow(temporal, ctx.params.id, deleteInvoice, callerOf(ctx));
      return renderDeletedInvoice(ctx.params.id);
    }),
  );

  router.use(invoiceActionRoutes(deps));
  router.use(invoiceLineRoutes(deps));
  return router;
}

// In a list, `expand[]=data.customer` expands each element's customer.
function nestedExpand(expand: string[] | undefined): string[] | undefined {
  return expand?.map((path) => (path.startsWith('data.') ? path.slice(5) : path));
}
