// /v1/tax_rates: the account's tax rates, a Postgres table the API reads and writes directly (no
// workflow owns a rate; invoices keep a copy of the rates they carry). Every query is scoped by
// the caller's account: another account's rate answers 404 resource_missing.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import {
  findTaxRate,
  insertTaxRate,
  saveTaxRate,
  taxRateFromRow,
  taxRatesOf,
  type TaxRateRow,
} from '../../db/repositories/tax-rates';
import { resourceMissing } from '../../workflows/domain/errors';
import { renderTaxRate } from '../../workflows/domain/render/tax-rate';
import { newTaxRate, updateTaxRate, type TaxRateRecord } from '../../workflows/domain/tax-rate';
import { inputOf, route } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { eventRequestOf, nowSeconds } from './catalog-writes';
import { mergeMetadata } from './customers';
import { previousAttributes, recordObjectEvent } from './object-events';
import {
  taxRateCreateSchema,
  taxRateListSchema,
  taxRateRetrieveSchema,
  taxRateUpdateSchema,
} from './tax-rate-params';

const RESOURCE = 'tax_rate';

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

function wire(rate: TaxRateRecord): Record<string, unknown> {
  return renderTaxRate(rate) as unknown as Record<string, unknown>;
}

export function taxRateRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/tax_rates',
    route(async (ctx) => {
      const params = parseParams(taxRateCreateSchema, ctx.body);
      const rate = newTaxRate(
        {
          id: idForRequest('txr', ctx),
          accountId: ctx.account.id,
          displayName: params.display_name,
          inclusive: params.inclusive,
          percentage: params.percentage,
          active: params.active,
          country: params.country,
          description: params.description,
          jurisdiction: params.jurisdiction,
          metadata: withoutUnset(params.metadata),
          state: params.state,
          taxType: params.tax_type,
        },
        nowSeconds(),
      );
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        await insertTaxRate(trx, rate);
        await recordObjectEvent(trx, rate, 'tax_rate.created', wire(rate), request);
      });
      return renderTaxRate(rate);
    }),
  );

  router.get(
    '/tax_rates/:id',
    route(async (ctx) => {
      parseParams(taxRateRetrieveSchema, inputOf(ctx));
      const rate = await findTaxRate(db, ctx.account.id, ctx.params.id);
      if (!rate) throw resourceMissing(RESOURCE, ctx.params.id);
      return renderTaxRate(rate);
    }),
  );

  router.post(
    '/tax_rates/:id',
    route(async (ctx) => {
      const params = parseParams(taxRateUpdateSchema, ctx.body);
      const request = eventRequestOf(ctx);
      const rate = await db.transaction(async (trx) => {
        const current = await findTaxRate(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing(RESOURCE, ctx.params.id);
        const next = updateTaxRate(current, {
          active: params.active,
          country: params.country,
          description: params.description,
          displayName: params.display_name,
          jurisdiction: params.jurisdiction,
          metadata:
            params.metadata !== undefined ? mergeMetadata(current.metadata, params.metadata) : undefined,
          state: params.state,
          taxType: params.tax_type,
        });
        await saveTaxRate(trx, next);
        const previous = previousAttributes(wire(current), wire(next));
        await recordObjectEvent(trx, next, 'tax_rate.updated', wire(next), request, previous);
        return next;
      });
      return renderTaxRate(rate);
    }),
  );

  router.get(
    '/tax_rates',
    route(async (ctx) => {
      const params = parseParams(taxRateListSchema, inputOf(ctx));
      const base = applyRange(
        taxRatesOf(db, ctx.account.id, { active: params.active, inclusive: params.inclusive }),
        'created',
        params.created,
      );
      const page = await fetchPage<TaxRateRow>(base, params, RESOURCE);
      return listObject(
        '/v1/tax_rates',
        page.rows.map((row) => renderTaxRate(taxRateFromRow(row))),
        page.hasMore,
      );
    }),
  );

  return router;
}
