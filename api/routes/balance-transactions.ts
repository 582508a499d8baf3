// /v1/customers/:id/balance_transactions: the customer's balance ledger. Manual transactions are
// 'adjustment's; the rest are written by invoices (through the activities) or by customer
// create/update of `balance`.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import {
  balanceTransactionFromRow,
  balanceTransactionsOf,
  findBalanceTransaction,
  recordBalanceTransaction,
  updateBalanceTransactionDetails,
  type BalanceTransactionRow,
} from '../../db/repositories/balance-transactions';
import { findCustomer } from '../../db/repositories/customers';
import { findInvoice } from '../../db/repositories/invoices';
import { idForRequest } from '../stripe/idempotent-ids';
import {
  MAX_BALANCE_TRANSACTION_AMOUNT,
  type CustomerBalanceTransactionRecord,
} from '../../workflows/domain/balance-transaction';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { refusals } from '../../workflows/domain/invoice-errors';
import { isSupportedCurrency, normalizeCurrency } from '../../workflows/domain/money';
import { renderBalanceTransaction } from '../../workflows/domain/render/balance-transaction';
import { renderCustomer } from '../../workflows/domain/render/customer';
import { presentInvoice } from './invoice-view';
import { inputOf, route } from '../stripe/handler';
import { applyRange, fetchPage, listObject, paginationFields, rangeField } from '../stripe/list';
import {
  emptyable,
  expandField,
  integer,
  metadata,
  parseParams,
  required,
  string,
  type Schema,
} from '../stripe/params';
import { mergeMetadata } from './customers';

const RESOURCE = 'customer balance transaction';

const createSchema = {
  amount: required(integer({ min: -MAX_BALANCE_TRANSACTION_AMOUNT, max: MAX_BALANCE_TRANSACTION_AMOUNT })),
  currency: required(string({ maxLength: 3 })),
  description: string({ maxLength: 350 }),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

const updateSchema = {
  description: emptyable(string({ maxLength: 350 })),
  metadata: emptyable(metadata()),
  expand: expandField,
} satisfies Schema;

const retrieveSchema = { expand: expandField } satisfies Schema;

const listSchema = {
  ...paginationFields,
  created: rangeField(),
  invoice: string({ maxLength: 255 }),
  expand: expandField,
} satisfies Schema;

// `expand[]=customer` / `expand[]=invoice` (and `data.` ones on lists) replace the ids with objects.
async function render(
  db: Database,
  transaction: CustomerBalanceTransactionRecord,
  expand: string[] = [],
  prefix = '',
): Promise<Record<string, unknown>> {
  const body = renderBalanceTransaction(transaction) as unknown as Record<string, unknown>;
  if (expand.includes(`${prefix}customer`)) {
    const customer = await findCustomer(db, transaction.accountId, transaction.customerId, {
      includeDeleted: true,
    });
    if (customer) body.customer = renderCustomer(customer);
  }
  if (transaction.invoiceId && expand.includes(`${prefix}invoice`)) {
    const invoice = await findInvoice(db, transaction.accountId, transaction.invoiceId);
    if (invoice) body.invoice = await presentInvoice(db, invoice);
  }
  return body;
}

// Only live customers of the caller's account have a ledger to read or write.
async function requireCustomer(
  db: Database | Knex.Transaction,
  accountId: string,
  customerId: string,
  options: { forUpdate?: boolean } = {},
) {
  const customer = await findCustomer(db, accountId, customerId, options);
  if (!customer) throw resourceMissing('customer', customerId);
  return customer;
}

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

export function balanceTransactionRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/customers/:id/balance_transactions',
    route(async (ctx) => {
      const params = parseParams(createSchema, ctx.body);
      if (params.amount === 0) {
        throw invalidRequest(
          'Invalid amount: must be a non-zero integer.',
          'parameter_invalid_integer',
          'amount',
        );
      }
      if (!isSupportedCurrency(params.currency)) throw refusals.invalidCurrency(params.currency);
      const { record } = await db.transaction(async (trx) => {
        await requireCustomer(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        return recordBalanceTransaction(trx, {
          accountId: ctx.account.id,
          customerId: ctx.params.id,
          id: idForRequest('cbtxn', ctx),
          amount: params.amount,
          currency: normalizeCurrency(params.currency),
          type: 'adjustment',
          invoiceId: null,
          description: params.description ?? null,
          metadata: withoutUnset(params.metadata),
          created: Math.floor(Date.now() / 1000),
        });
      });
      return render(db, record, params.expand);
    }),
  );

  router.get(
    '/customers/:id/balance_transactions/:txn',
    route(async (ctx) => {
      const params = parseParams(retrieveSchema, inputOf(ctx));
      await requireCustomer(db, ctx.account.id, ctx.params.id);
      const record = await findBalanceTransaction(db, ctx.account.id, ctx.params.id, ctx.params.txn);
      if (!record) throw resourceMissing(RESOURCE, ctx.params.txn);
      return render(db, record, params.expand);
    }),
  );

  router.post(
    '/customers/:id/balance_transactions/:txn',
    route(async (ctx) => {
      const params = parseParams(updateSchema, ctx.body);
      const updated = await db.transaction(async (trx) => {
        await requireCustomer(trx, ctx.account.id, ctx.params.id);
        const current = await findBalanceTransaction(trx, ctx.account.id, ctx.params.id, ctx.params.txn, {
          forUpdate: true,
        });
        if (!current) throw resourceMissing(RESOURCE, ctx.params.txn);
        const next: CustomerBalanceTransactionRecord = { ...current };
        if (params.description !== undefined) next.description = params.description;
        if (params.metadata !== undefined) next.metadata = mergeMetadata(current.metadata, params.metadata);
        await updateBalanceTransactionDetails(trx, next);
        return next;
      });
      return render(db, updated, params.expand);
    }),
  );

  router.get(
    '/customers/:id/balance_transactions',
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      await requireCustomer(db, ctx.account.id, ctx.params.id);
      let base = balanceTransactionsOf(db, ctx.account.id, ctx.params.id);
      if (params.invoice !== undefined) base = base.andWhere({ invoice_id: params.invoice });
      base = applyRange(base, 'created', params.created);
      const page = await fetchPage<BalanceTransactionRow>(base, params, RESOURCE);
      const data = await Promise.all(
        page.rows.map((row) => render(db, balanceTransactionFromRow(row), params.expand, 'data.')),
      );
      return listObject(`/v1/customers/${ctx.params.id}/balance_transactions`, data, page.hasMore);
    }),
  );

  return router;
}
