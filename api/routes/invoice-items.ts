// /v1/invoiceitems. A pending item (on no invoice) is a Postgres row the API changes directly; an
// item on an invoice is one of its lines, so creating, updating or deleting it is an update on
// the invoice's workflow (which refuses finalized invoices), and its row is read back afterwards.
import { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findCustomer } from '../../db/repositories/customers';
import {
  deletePendingInvoiceItem,
  findInvoiceItem,
  invoiceItemFromRow,
  invoiceItemsOf,
  pendingItemInserts,
  updatePendingInvoiceItem,
  type InvoiceItemRow,
} from '../../db/repositories/invoice-items';
import { findInvoice, type EventRequest } from '../../db/repositories/invoices';
import { idForRequest } from '../stripe/idempotent-ids';
import { requireClaim, writeWithAnswer } from '../stripe/idempotency';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { refusals } from '../../workflows/domain/invoice-errors';
import {
  applyItemUpdate,
  assertItemUpdate,
  itemFromLine,
  lineChangesFromUpdate,
  lineInputFromItem,
  newInvoiceItem,
  type InvoiceItemRecord,
  type InvoiceItemUpdate,
} from '../../workflows/domain/invoice-item';
import { renderCustomer } from '../../workflows/domain/render/customer';
import { renderDeletedInvoiceItem, renderInvoiceItem } from '../../workflows/domain/render/invoice-item';
import type { InvoiceState } from '../../workflows/domain/types';
import { addInvoiceItem, deleteInvoiceItem, updateInvoiceItem } from '../../workflows/messages';
import { applyExpansions } from '../stripe/expand';
import { inputOf, route, type RouteContext } from '../stripe/handler';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { mergeMetadata } from './customers';
import { resolveTaxRates } from './tax-rate-refs';
import { resolveDiscounts, withRedemptions } from './discount-refs';
import { appliedDiscounts, type AppliedDiscount } from '../../workflows/domain/discount';
import type { TaxRateRecord } from '../../workflows/domain/tax-rate';
import {
  invoiceItemCreateSchema,
  invoiceItemListSchema,
  invoiceItemRetrieveSchema,
  invoiceItemUpdateSchema,
  type InvoiceItemUpdateParams,
} from './invoice-item-params';
import { callerOf, presentInvoice } from './invoice-view';

const RESOURCE = 'invoiceitem';

type Body = Stripe.InvoiceItem & Record<string, unknown>;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function present(db: Database, item: InvoiceItemRecord, expand?: string[]): Promise<Body> {
  return applyExpansions<Body>(renderInvoiceItem(item) as Body, expand, {
    customer: async (body) => {
      const customer = await findCustomer(db, item.accountId, item.customerId, { includeDeleted: true });
      if (customer) body.customer = renderCustomer(customer);
    },
    invoice: async (body) => {
      const invoice = item.invoiceId ? await findInvoice(db, item.accountId, item.invoiceId) : null;
      if (invoice) body.invoice = (await presentInvoice(db, invoice)) as unknown as Stripe.Invoice;
    },
  });
}

// List expansions name the items' fields under `data.`.
function itemExpansions(expand: string[] | undefined): string[] | undefined {
  return expand?.map((path) => (path.startsWith('data.') ? path.slice('data.'.length) : path));
}

function eventRequestOf(ctx: RouteContext): EventRequest {
  const caller = callerOf(ctx);
  return { id: caller.requestId ?? null, idempotencyKey: caller.idempotencyKey ?? null };
}

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

function updateOf(
  params: InvoiceItemUpdateParams,
  current: InvoiceItemRecord,
  taxRates: TaxRateRecord[] | undefined,
  discounts: AppliedDiscount[] | undefined,
): InvoiceItemUpdate {
  const update: InvoiceItemUpdate = {
    taxRates,
    discounts,
    amount: params.amount,
    unitAmountDecimal: params.unit_amount_decimal,
    quantity: params.quantity,
    description: params.description,
    discountable: params.discountable,
    period: params.period,
  };
  if (params.metadata !== undefined) update.metadata = mergeMetadata(current.metadata, params.metadata);
  return update;
}

// After a workflow update the item's row was written in the same transaction as the invoice, so
// it is read back; the invoice's own line is the fallback should the row lag.
async function itemAfterUpdate(
  db: Database,
  state: InvoiceState,
  itemId: string,
  date: number,
): Promise<InvoiceItemRecord> {
  const stored = await findInvoiceItem(db, state.accountId, itemId);
  if (stored) return stored;
  const line = state.lines.find((candidate) => candidate.invoiceItemId === itemId);
  if (!line) throw resourceMissing(RESOURCE, itemId);
  return itemFromLine(line, state, date);
}

async function requireItem(db: Database, ctx: RouteContext): Promise<InvoiceItemRecord> {
  const item = await findInvoiceItem(db, ctx.account.id, ctx.params.id);
  if (!item) throw resourceMissing(RESOURCE, ctx.params.id);
  return item;
}

export function invoiceItemRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  router.post(
    '/invoiceitems',
    route(async (ctx) => {
      const params = parseParams(invoiceItemCreateSchema, ctx.body);
      const customer = await findCustomer(db, ctx.account.id, params.customer);
      if (!customer) throw resourceMissing('customer', params.customer, 'customer');
      const invoice = params.invoice ? await findInvoice(db, ctx.account.id, params.invoice) : null;
      if (params.invoice && !invoice) throw resourceMissing('invoice', params.invoice, 'invoice');
      if (invoice && invoice.customerId !== customer.id) {
        throw invalidRequest(
          `The invoice ${invoice.id} belongs to customer ${invoice.customerId}, not to ${customer.id}.`,
          undefined,
          'invoice',
        );
      }
      const taxRates = await resolveTaxRates(db, ctx.account.id, params.tax_rates, 'tax_rates');
      const now = nowSeconds();
      const currency = params.currency ?? invoice?.currency ?? customer.currency ?? 'usd';
      // Checked before any coupon is redeemed (newInvoiceItem checks it again).
      newInvoiceItem(
        {
          id: 'ii_probe',
          accountId: ctx.account.id,
          customerId: customer.id,
          invoiceId: null,
          currency,
          amount: params.amount,
          unitAmountDecimal: params.unit_amount_decimal,
          quantity: params.quantity,
          period: params.period,
        },
        now,
      );
      const resolved = await resolveDiscounts(db, ctx, params.discounts, {
        customerId: customer.id,
        currency,
      });
      const item = newInvoiceItem(
        {
          id: idForRequest('ii', ctx),
          accountId: ctx.account.id,
          customerId: customer.id,
          invoiceId: invoice?.id ?? null,
          // Stripe defaults to the invoice's currency, else the customer's, else the account's
          // default currency (usd here, as for invoices).
          currency,
          amount: params.amount,
          unitAmountDecimal: params.unit_amount_decimal,
          quantity: params.quantity,
          description: params.description,
          discountable: params.discountable,
          period: params.period,
          metadata: withoutUnset(params.metadata),
          testClockId: customer.testClockId,
          taxRates,
          discounts: resolved ? appliedDiscounts(resolved.discounts, now) : undefined,
        },
        now,
      );
      if (!invoice) {
        // The row, its event and the idempotent answer in one statement (one commit).
        const body = await present(db, item, params.expand);
        await withRedemptions(db, ctx.account.id, resolved, () =>
          writeWithAnswer(db, ctx.res, pendingItemInserts(db, item, eventRequestOf(ctx)), body),
        );
        return body;
      }
      const state = await withRedemptions(db, ctx.account.id, resolved, async () => {
        // The workflow checks this too; checking here names the parameter the caller sent.
        if (item.currency !== invoice.currency)
          throw refusals.currencyMismatch('currency', item.currency, invoice.currency);
        requireClaim(ctx.res); // a workflow update, not one statement: the key is claimed first
        return updateInvoiceWorkflow(temporal, invoice.id, addInvoiceItem, {
          ...callerOf(ctx),
          line: lineInputFromItem(item),
        });
      });
      return present(db, await itemAfterUpdate(db, state, item.id, now), params.expand);
    }),
  );

  router.get(
    '/invoiceitems/:id',
    route(async (ctx) => {
      const params = parseParams(invoiceItemRetrieveSchema, inputOf(ctx));
      return present(db, await requireItem(db, ctx), params.expand);
    }),
  );

  router.post(
    '/invoiceitems/:id',
    route(async (ctx) => {
      const params = parseParams(invoiceItemUpdateSchema, ctx.body);
      const taxRates = await resolveTaxRates(db, ctx.account.id, params.tax_rates, 'tax_rates');
      let current = await requireItem(db, ctx);
      const resolved = await resolveDiscounts(db, ctx, params.discounts, {
        customerId: current.customerId,
        currency: current.currency,
        existing: current.discounts ?? [],
      });
      const discounts = resolved ? appliedDiscounts(resolved.discounts, nowSeconds()) : undefined;
      return withRedemptions(db, ctx.account.id, resolved, async () => {
        if (current.invoiceId === null) {
          // Locked and re-read: an invoice may have claimed it since, and then its workflow owns it.
          current = await db.transaction(async (trx) => {
            const locked = await findInvoiceItem(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
            if (!locked) throw resourceMissing(RESOURCE, ctx.params.id);
            if (locked.invoiceId !== null) return locked;
            const next = applyItemUpdate(locked, updateOf(params, locked, taxRates, discounts));
            await updatePendingInvoiceItem(trx, next);
            return next;
          });
          if (current.invoiceId === null) return present(db, current, params.expand);
        }
        const update = updateOf(params, current, taxRates, discounts);
        assertItemUpdate(update);
        const state = await updateInvoiceWorkflow(temporal, current.invoiceId, updateInvoiceItem, {
          ...callerOf(ctx),
          invoiceItemId: current.id,
          changes: lineChangesFromUpdate(update),
        });
        return present(db, await itemAfterUpdate(db, state, current.id, current.date), params.expand);
      });
    }),
  );

  router.delete(
    '/invoiceitems/:id',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx)); // unknown parameters are refused before anything is deleted
      let current = await requireItem(db, ctx);
      if (current.invoiceId === null) {
        current = await db.transaction(async (trx) => {
          const locked = await findInvoiceItem(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
          if (!locked) throw resourceMissing(RESOURCE, ctx.params.id);
          if (locked.invoiceId === null) {
            await deletePendingInvoiceItem(trx, locked, nowSeconds(), eventRequestOf(ctx));
          }
          return locked;
        });
        if (current.invoiceId === null) return renderDeletedInvoiceItem(current.id);
      }
      await updateInvoiceWorkflow(temporal, current.invoiceId, deleteInvoiceItem, {
        ...callerOf(ctx),
        invoiceItemId: current.id,
      });
      return renderDeletedInvoiceItem(current.id);
    }),
  );

  router.get(
    '/invoiceitems',
    route(async (ctx) => {
      const params = parseParams(invoiceItemListSchema, inputOf(ctx));
      let base = invoiceItemsOf(db, ctx.account.id, {
        customer: params.customer,
        invoice: params.invoice,
        pending: params.pending,
      });
      base = applyRange(base, 'created', params.created);
      const page = await fetchPage<InvoiceItemRow>(base, params, RESOURCE);
      const expand = itemExpansions(params.expand);
      const data = await Promise.all(page.rows.map((row) => present(db, invoiceItemFromRow(row), expand)));
      return listObject('/v1/invoiceitems', data, page.hasMore);
    }),
  );

  return router;
}
