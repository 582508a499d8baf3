// An invoice's lines: read from the projection, changed through the workflow while a draft.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { findInvoice } from '../../db/repositories/invoices';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { invoiceAdjustments } from '../../workflows/domain/invoice-adjustments';
import { renderLine } from '../../workflows/domain/render/invoice';
import type { InvoiceState } from '../../workflows/domain/types';
import { addLines, removeLines, updateInvoice, updateLines, type Caller } from '../../workflows/messages';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { inputOf, route, type RouteContext } from '../stripe/handler';
import { listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { lineInput, lineUpdate } from './invoice-commands';
import { resolveTaxRates } from './tax-rate-refs';
import {
  giveBack,
  mergeResolved,
  resolveDiscounts,
  withRedemptions,
  type ResolvedDiscounts,
} from './discount-refs';
import { nowSeconds } from './catalog-writes';
import { appliedDiscounts, type AppliedDiscount } from '../../workflows/domain/discount';
import { addLinesSchema, linesListSchema, removeLinesSchema, updateLinesSchema } from './invoice-params';
import { callerOf, presentInvoice } from './invoice-view';

export function invoiceLineRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  // Each line's tax_rates, resolved to the account's own active rates (undefined: not given).
  function lineTaxRates(accountId: string, lines: readonly { tax_rates?: string[] | null }[]) {
    return Promise.all(
      lines.map((line, index) =>
        resolveTaxRates(db, accountId, line.tax_rates, `lines[${index}][tax_rates]`),
      ),
    );
  }

  // Each line's discounts, checked and redeemed (undefined: not given); `resolved` gives them
  // all back if the change is refused.
  async function lineDiscounts(
    ctx: RouteContext,
    lines: readonly { id?: string; discounts?: Parameters<typeof resolveDiscounts>[2] }[],
  ): Promise<{ perLine: (AppliedDiscount[] | undefined)[]; resolved?: ResolvedDiscounts }> {
    if (!lines.some((line) => line.discounts !== undefined)) return { perLine: lines.map(() => undefined) };
    const invoice = await findInvoice(db, ctx.account.id, ctx.params.id);
    if (!invoice) throw resourceMissing('invoice', ctx.params.id);
    const all: (ResolvedDiscounts | undefined)[] = [];
    try {
      for (const [index, line] of lines.entries()) {
        const existing = line.id ? (invoice.lines.find((l) => l.id === line.id)?.discounts ?? []) : [];
        const target = { customerId: invoice.customerId, currency: invoice.currency, existing };
        const param = `lines[${index}][discounts]`;
        all.push(await resolveDiscounts(db, ctx, line.discounts, target, param, { salt: index + 1 }));
      }
    } catch (error) {
      await giveBack(db, ctx.account.id, mergeResolved(all).redemptions);
      throw error;
    }
    const now = nowSeconds();
    return {
      perLine: all.map((resolved) => (resolved ? appliedDiscounts(resolved.discounts, now) : undefined)),
      resolved: mergeResolved(all),
    };
  }

  // invoice_metadata rides along with a line change: applied right after it.
  async function withInvoiceMetadata(
    invoiceId: string,
    caller: Caller,
    state: InvoiceState,
    metadata: Record<string, string | null> | null | undefined,
  ): Promise<InvoiceState> {
    if (metadata === undefined) return state;
    return updateInvoiceWorkflow(temporal, invoiceId, updateInvoice, { ...caller, command: { metadata } });
  }

  router.get(
    '/invoices/:id/lines',
    route(async (ctx) => {
      const params = parseParams(linesListSchema, inputOf(ctx));
      const state = await findInvoice(db, ctx.account.id, ctx.params.id);
      if (!state) throw resourceMissing('invoice', ctx.params.id);
      // Lines keep the invoice's order; cursors are line ids.
      let start = 0;
      let end = state.lines.length;
      const limit = params.limit ?? 10;
      const indexOf = (id: string, param: string) => {
        const index = state.lines.findIndex((line) => line.id === id);
        if (index < 0) throw invalidRequest(`No such line item: '${id}'`, 'resource_missing', param);
        return index;
      };
      if (params.starting_after !== undefined) start = indexOf(params.starting_after, 'starting_after') + 1;
      if (params.ending_before !== undefined) {
        end = indexOf(params.ending_before, 'ending_before');
        start = Math.max(0, end - limit);
      }
      const page = state.lines.slice(start, Math.min(end, start + limit));
      const hasMore = params.ending_before !== undefined ? start > 0 : start + page.length < end;
      const { taxes, discounts } = invoiceAdjustments(state);
      const data = page.map((line) =>
        renderLine(line, state.id, state.livemode, taxes.byLine.get(line.id), discounts.byLine.get(line.id)),
      );
      return listObject(`/v1/invoices/${state.id}/lines`, data, hasMore);
    }),
  );

  // add_lines, update_lines, remove_lines: one update each, then the optional invoice_metadata.
  const lineChanges = [
    {
      path: 'add_lines',
      run: (ctx: RouteContext) => {
        const params = parseParams(addLinesSchema, ctx.body);
        const state = (async () => {
          const rates = await lineTaxRates(ctx.account.id, params.lines);
          const { perLine, resolved } = await lineDiscounts(ctx, params.lines);
          const lines = params.lines.map((line, index) => lineInput(line, rates[index], perLine[index]));
          return withRedemptions(db, ctx.account.id, resolved, () =>
            updateInvoiceWorkflow(temporal, ctx.params.id, addLines, { ...callerOf(ctx), lines }),
          );
        })();
        return { params, state };
      },
    },
    {
      path: 'update_lines',
      run: (ctx: RouteContext) => {
        const params = parseParams(updateLinesSchema, ctx.body);
        const state = (async () => {
          const rates = await lineTaxRates(ctx.account.id, params.lines);
          const { perLine, resolved } = await lineDiscounts(ctx, params.lines);
          const lines = params.lines.map((line, index) => lineUpdate(line, rates[index], perLine[index]));
          return withRedemptions(db, ctx.account.id, resolved, () =>
            updateInvoiceWorkflow(temporal, ctx.params.id, updateLines, { ...callerOf(ctx), lines }),
          );
        })();
        return { params, state };
      },
    },
    {
      path: 'remove_lines',
      run: (ctx: RouteContext) => {
        const params = parseParams(removeLinesSchema, ctx.body);
        return {
          params,
          state: updateInvoiceWorkflow(temporal, ctx.params.id, removeLines, {
            ...callerOf(ctx),
            lines: params.lines,
          }),
        };
      },
    },
  ];
  for (const change of lineChanges) {
    router.post(
      `/invoices/:id/${change.path}`,
      route(async (ctx) => {
        const caller = callerOf(ctx);
        const { params, state } = change.run(ctx);
        const changed = await withInvoiceMetadata(
          ctx.params.id,
          caller,
          await state,
          params.invoice_metadata,
        );
        return presentInvoice(db, changed, params.expand);
      }),
    );
  }

  return router;
}
