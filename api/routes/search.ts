// GET /v1/invoices/search and GET /v1/customers/search: Stripe's search query language over the
// Postgres projection. Registered before the invoice and customer routes, whose `/:id` would
// otherwise take "search" for an id.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppDeps } from '../deps';
import { customerFromRow } from '../../db/repositories/customers';
import { invalidRequest } from '../../workflows/domain/errors';
import { renderCustomer } from '../../workflows/domain/render/customer';
import type { InvoiceState } from '../../workflows/domain/types';
import { SearchQueryError } from '../search/ast';
import { fetchSearchPage, queryFingerprint, searchResult } from '../search/page';
import { parseQuery } from '../search/parser';
import { compileQuery, CUSTOMER_SEARCH, INVOICE_SEARCH, type SearchResource } from '../search/to-sql';
import { inputOf, route, type RouteContext } from '../stripe/handler';
import { expandField, integer, parseParams, required, string } from '../stripe/params';
import { presentInvoice } from './invoice-view';

// Stripe's InvoiceSearchParams / CustomerSearchParams: query and page up to 5000 characters.
const searchSchema = {
  query: required(string({ maxLength: 5000 })),
  limit: integer({ min: 1, max: 100 }),
  page: string({ maxLength: 5000 }),
  expand: expandField,
};

type CustomerRow = Parameters<typeof customerFromRow>[0];

interface SearchRequest {
  params: ReturnType<typeof parseSearchParams>;
  base: Knex.QueryBuilder;
  fingerprint: string;
  withTotalCount: boolean;
  // `data.<path>` expansions, applied to each result.
  expand: string[];
}

function parseSearchParams(ctx: RouteContext) {
  return parseParams(searchSchema, inputOf(ctx));
}

// Parses and compiles the query; a malformed one is a 400 naming `query`, with the position.
function whereOf(query: string, resource: SearchResource) {
  try {
    return compileQuery(parseQuery(query), resource);
  } catch (error) {
    if (error instanceof SearchQueryError) throw invalidRequest(error.message, undefined, 'query');
    throw error;
  }
}

// `expand[]=total_count` asks for the count; `expand[]=data.customer` expands inside each result.
function splitExpand(expand: string[] | undefined): { withTotalCount: boolean; expand: string[] } {
  const nested: string[] = [];
  let withTotalCount = false;
  for (const path of expand ?? []) {
    if (path === 'total_count') withTotalCount = true;
    else if (path.startsWith('data.')) nested.push(path.slice(5));
    else throw invalidRequest(`This property cannot be expanded (${path}).`, undefined, 'expand');
  }
  return { withTotalCount, expand: nested };
}

function searchRequest(
  ctx: RouteContext,
  db: AppDeps['db'],
  table: string,
  resource: SearchResource,
): SearchRequest {
  const params = parseSearchParams(ctx);
  const where = whereOf(params.query, resource);
  const base = db(table)
    .where({ account_id: ctx.account.id, deleted: false })
    .andWhereRaw(where.sql, where.bindings);
  return {
    params,
    base,
    fingerprint: queryFingerprint(resource.name, params.query),
    ...splitExpand(params.expand),
  };
}

export function searchRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get(
    '/invoices/search',
    route(async (ctx) => {
      const search = searchRequest(ctx, db, 'invoices', INVOICE_SEARCH);
      const page = await fetchSearchPage<{ seq: number; created: number; state: InvoiceState }>(
        search.base,
        ['seq', 'created', 'state'],
        search.params,
        search.fingerprint,
        search.withTotalCount,
      );
      const data = await Promise.all(page.rows.map((row) => presentInvoice(db, row.state, search.expand)));
      return searchResult('/v1/invoices/search', data, page);
    }),
  );

  router.get(
    '/customers/search',
    route(async (ctx) => {
      const search = searchRequest(ctx, db, 'customers', CUSTOMER_SEARCH);
      if (search.expand.length > 0) {
        throw invalidRequest(
          `This property cannot be expanded (data.${search.expand[0]}).`,
          undefined,
          'expand',
        );
      }
      const page = await fetchSearchPage<CustomerRow>(
        search.base,
        ['*'],
        search.params,
        search.fingerprint,
        search.withTotalCount,
      );
      const data = page.rows.map((row) => renderCustomer(customerFromRow(row)));
      return searchResult('/v1/customers/search', data, page);
    }),
  );

  return router;
}
