// What the customer-facing pages read: the hosted page tokens (invoices.hosted_token, made by
// Postgres at insert: see migration 012) and the seller. A token is the capability to see and
// pay exactly one invoice.
import type { Knex } from 'knex';
import type { InvoiceState } from '../../workflows/domain/types';
import type { Database } from '../connection';
import { prepared } from '../prepared-statements';

type Executor = Database | Knex.Transaction;

// Tokens are letters, digits, '-' and '_' (base64url); anything else is not worth a query.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

export function looksLikeHostedToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

// The invoice a token opens, or null: unknown tokens, deleted invoices and drafts (which are
// not customer-facing yet) all look the same from outside.
export async function findInvoiceByHostedToken(db: Executor, token: string): Promise<InvoiceState | null> {
  if (!looksLikeHostedToken(token)) return null;
  const row = (await db('invoices').where({ hosted_token: token, deleted: false }).first('state')) as
    { state: InvoiceState } | undefined;
  if (!row || row.state.status === 'draft') return null;
  return row.state;
}

export async function findHostedToken(db: Executor, invoiceId: string): Promise<string | null> {
  const row = (await prepared(db('invoices').where({ id: invoiceId })).first('hosted_token')) as
    { hosted_token: string } | undefined;
  return row?.hosted_token ?? null;
}

// Rendering a page of 100 invoices asks for 100 tokens in the same tick: one query answers
// them all. A token never changes once its invoice exists, so the loader keeps the last
// TOKENS_KEPT it has seen: re-reading an invoice (the usual polling) costs no second statement,
// and nothing kept can go stale.
const TOKENS_KEPT = 20_000;

export function hostedTokenLoader(db: Database): (invoiceId: string) => Promise<string | null> {
  const known = new Map<string, string>();
  let waiting = new Map<string, Array<(token: string | null) => void>>();
  let failures: Array<(error: unknown) => void> = [];
  const remember = (id: string, token: string) => {
    if (known.size >= TOKENS_KEPT) known.delete(known.keys().next().value as string); // the oldest
    known.set(id, token);
  };
  const flush = async () => {
    const batch = waiting;
    const rejects = failures;
    waiting = new Map();
    failures = [];
    try {
      const rows = (await db('invoices')
        .whereIn('id', [...batch.keys()])
        .select('id', 'hosted_token')) as Array<{ id: string; hosted_token: string }>;
      const tokens = new Map(rows.map((row) => [row.id, row.hosted_token]));
      for (const [id, token] of tokens) remember(id, token);
      for (const [id, resolvers] of batch) for (const resolve of resolvers) resolve(tokens.get(id) ?? null);
    } catch (error) {
      for (const reject of rejects) reject(error);
    }
  };
  return (invoiceId) => {
    const token = known.get(invoiceId);
    if (token !== undefined) return Promise.resolve(token);
    return new Promise((resolve, reject) => {
      if (waiting.size === 0) setImmediate(() => void flush());
      waiting.set(invoiceId, [...(waiting.get(invoiceId) ?? []), resolve]);
      failures.push(reject);
    });
  };
}

// The seller as the customer sees it: the account's name.
export async function findSeller(db: Executor, accountId: string): Promise<{ name: string }> {
  const row = (await db('accounts').where({ id: accountId }).first('name')) as { name: string } | undefined;
  return { name: row?.name ?? '' };
}
