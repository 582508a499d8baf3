// Stripe list pagination over a table with a `seq` column: newest first, cursors are object ids.
import type { Knex } from 'knex';
import { prepared } from '../../db/prepared-statements';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { integer, string, type Schema } from './params';

export const paginationFields = {
  limit: integer({ min: 1, max: 100 }),
  starting_after: string({ maxLength: 255 }),
  ending_before: string({ maxLength: 255 }),
} satisfies Schema;

export interface PageRequest {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

export interface Page<Row> {
  rows: Row[];
  hasMore: boolean;
}

async function cursorSeq(
  base: Knex.QueryBuilder,
  cursor: string,
  param: string,
  resource: string,
): Promise<number> {
  const row = (await base.clone().where('id', cursor).first('seq')) as { seq: number } | undefined;
  if (!row) throw resourceMissing(resource, cursor, param);
  return row.seq;
}

// `base` is the account-scoped, filtered query; this adds the cursor, order and limit.
export async function fetchPage<Row>(
  base: Knex.QueryBuilder,
  page: PageRequest,
  resource: string,
): Promise<Page<Row>> {
  const limit = page.limit ?? 10;
  if (page.ending_before !== undefined) {
    const seq = await cursorSeq(base, page.ending_before, 'ending_before', resource);
    const rows = (await prepared(base.clone())
      .where('seq', '>', seq)
      .orderBy('seq', 'asc')
      .limit(limit + 1)) as Row[];
    return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  }
  let query = prepared(base.clone());
  if (page.starting_after !== undefined) {
    query = query.where('seq', '<', await cursorSeq(base, page.starting_after, 'starting_after', resource));
  }
  const rows = (await query.orderBy('seq', 'desc').limit(limit + 1)) as Row[];
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export function listObject<T>(url: string, data: T[], hasMore: boolean): ListObject<T> {
  return { object: 'list', data, has_more: hasMore, url };
}

// `created=123` or `created[gte]=...&created[lt]=...`, as Stripe's RangeQueryParam.
export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export function rangeField() {
  const bound = integer({ min: 0 });
  return {
    parse(raw: unknown, param: string): Range {
      if (typeof raw === 'string') return { gte: bound.parse(raw, param), lte: bound.parse(raw, param) };
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw invalidRequest(`Invalid ${param}: must be an integer or a range`, undefined, param);
      }
      const range: Range = {};
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (key !== 'gt' && key !== 'gte' && key !== 'lt' && key !== 'lte') {
          throw invalidRequest(
            `Received unknown parameter: ${param}[${key}]`,
            'parameter_unknown',
            `${param}[${key}]`,
          );
        }
        range[key] = bound.parse(value, `${param}[${key}]`);
      }
      return range;
    },
  };
}

export function applyRange(
  query: Knex.QueryBuilder,
  column: string,
  range: Range | undefined,
): Knex.QueryBuilder {
  if (!range) return query;
  if (range.gt !== undefined) query = query.where(column, '>', range.gt);
  if (range.gte !== undefined) query = query.where(column, '>=', range.gte);
  if (range.lt !== undefined) query = query.where(column, '<', range.lt);
  if (range.lte !== undefined) query = query.where(column, '<=', range.lte);
  return query;
}
