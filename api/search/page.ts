// Pages of search results, newest first, and the opaque `page` token that continues them.
//
// Newest first is `created desc, seq desc` (seq breaks ties within a second), not `seq desc`
// alone: with seq alone, Postgres answers a `created` range by walking the primary key backwards
// until it reaches the range, which at a million invoices reads half the table for a range in
// the middle of the history (bench/RESULTS.md); ordered by created, the (account_id, created,
// seq) index serves the range and the order at once. For invoices made through the API the two
// orders are the same; they differ only for test-clock invoices, whose created is clock time.
//
// The token is base64url of {"c": created, "s": seq, "q": fingerprint of the query}, the last
// result's position. It is
// validated, not signed: it carries only a position in the account's own results (every search
// is scoped to the caller's account), so a forged one can reveal nothing a real one would not,
// and validating its shape turns garbage into a 400 naming `page`. The fingerprint makes a token
// from one query refused by another, instead of silently skipping results.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import { invalidRequest } from '../../workflows/domain/errors';

export interface SearchPageRequest {
  limit?: number;
  page?: string;
}

export interface SearchPage<Row> {
  rows: Row[];
  hasMore: boolean;
  nextPage: string | null;
  totalCount?: number;
}

const MAX_TOKEN_LENGTH = 200;

export function queryFingerprint(resource: string, query: string): string {
  return createHash('sha256').update(`${resource}\n${query}`).digest('base64url').slice(0, 16);
}

export interface Position {
  created: number;
  seq: number;
}

export function encodePageToken(position: Position, fingerprint: string): string {
  const token = { c: position.created, s: position.seq, q: fingerprint };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function invalidPage(message: string) {
  return invalidRequest(message, undefined, 'page');
}

const isInteger = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

export function decodePageToken(token: string, fingerprint: string): Position {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw invalidPage(
      `Invalid page: ${JSON.stringify(token.slice(0, 40))} is not a page token from next_page.`,
    );
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const fields = decoded as { c?: unknown; s?: unknown; q?: unknown } | null;
  const valid =
    typeof fields === 'object' &&
    fields !== null &&
    !Array.isArray(fields) &&
    Object.keys(fields).length === 3 &&
    isInteger(fields.c, 0) &&
    isInteger(fields.s, 1) &&
    typeof fields.q === 'string';
  if (!valid) throw invalidPage('Invalid page: it is not a page token from next_page.');
  if (fields.q !== fingerprint) {
    throw invalidPage('Invalid page: this token belongs to a different query; pass the same query with it.');
  }
  return { created: fields.c as number, seq: fields.s as number };
}

// `base` is the account-scoped, filtered query (with `created` and `seq` columns); this adds the
// position, the order and the limit, and counts the matches when `total_count` was asked for.
export async function fetchSearchPage<Row extends Position>(
  base: Knex.QueryBuilder,
  columns: string[],
  request: SearchPageRequest,
  fingerprint: string,
  withTotalCount: boolean,
): Promise<SearchPage<Row>> {
  const limit = request.limit ?? 10;
  let query = base.clone().select(columns);
  if (request.page !== undefined) {
    const after = decodePageToken(request.page, fingerprint);
    // A row comparison, which the (account_id, created, seq) index serves as a range.
    query = query.andWhereRaw('(created, seq) < (?, ?)', [after.created, after.seq]);
  }
  const rows = (await query
    .orderBy([
      { column: 'created', order: 'desc' },
      { column: 'seq', order: 'desc' },
    ])
    .limit(limit + 1)) as Row[];
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const result: SearchPage<Row> = {
    rows: page,
    hasMore,
    nextPage: hasMore ? encodePageToken(page[page.length - 1], fingerprint) : null,
  };
  if (withTotalCount) {
    const [{ count }] = (await base.clone().count({ count: '*' })) as Array<{ count: string | number }>;
    result.totalCount = Number(count);
  }
  return result;
}

export function searchResult<T>(
  url: string,
  data: T[],
  page: SearchPage<unknown>,
): Stripe.ApiSearchResult<T> {
  const result: Stripe.ApiSearchResult<T> = {
    object: 'search_result',
    data,
    has_more: page.hasMore,
    next_page: page.nextPage,
    url,
  };
  if (page.totalCount !== undefined) result.total_count = page.totalCount;
  return result;
}
