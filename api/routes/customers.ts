import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppDeps } from '../deps';
import { eventInsert, type EventRow } from '../../db/repositories/events';
import { eventRows, insertEventRows } from '../../db/repositories/invoices';
import { previousAttributes } from './object-events';
import type { RouteContext } from '../stripe/handler';
import { recordBalanceTransaction } from '../../db/repositories/balance-transactions';
import {
  findCustomer,
  insertCustomer,
  insertCustomerQuery,
  updateCustomer,
  customerFromRow,
} from '../../db/repositories/customers';
import { isUniqueViolation } from '../../db/postgres-errors';
import { newId } from '../../db/random-ids';
import { idForRequest } from '../stripe/idempotent-ids';
import { requireClaim, writeWithAnswer } from '../stripe/idempotency';
import { EMPTY_ADDRESS, INVOICE_PREFIX_PATTERN, type CustomerRecord } from '../../workflows/domain/customer';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { renderCustomer, renderDeletedCustomer } from '../../workflows/domain/render/customer';
import type { Address } from '../../workflows/domain/types';
import { inputOf, route } from '../stripe/handler';
import { fetchPage, listObject, paginationFields, rangeField, applyRange } from '../stripe/list';
import { expandField, parseParams, string, type Infer } from '../stripe/params';
import { findTestClock } from '../../db/repositories/test-clocks';
import { customerCreateSchema, customerUpdateSchema } from './customer-params';

type CustomerParams = Infer<typeof customerUpdateSchema>;
type AddressParams = {
  [K in 'city' | 'country' | 'line1' | 'line2' | 'postal_code' | 'state']?: string | null;
};

function toAddress(params: AddressParams): Address {
  return {
    ...EMPTY_ADDRESS,
    city: params.city ?? null,
    country: params.country ?? null,
    line1: params.line1 ?? null,
    line2: params.line2 ?? null,
    postalCode: params.postal_code ?? null,
    state: params.state ?? null,
  };
}

function applyCustomerParams(customer: CustomerRecord, params: CustomerParams): CustomerRecord {
  const next: CustomerRecord = { ...customer, invoiceSettings: { ...customer.invoiceSettings } };
  if (params.address !== undefined) next.address = params.address ? toAddress(params.address) : null;
  if (params.balance !== undefined) next.balance = params.balance;
  if (params.description !== undefined) next.description = params.description;
  if (params.email !== undefined) next.email = params.email;
  if (params.invoice_prefix !== undefined) {
    if (!INVOICE_PREFIX_PATTERN.test(params.invoice_prefix)) {
      throw invalidRequest(
        'Invoice prefix must be 3-12 uppercase letters or numbers.',
        'parameter_invalid_string',
        'invoice_prefix',
      );
    }
    next.invoicePrefix = params.invoice_prefix;
  }
  const settings = params.invoice_settings;
  if (settings?.custom_fields !== undefined) next.invoiceSettings.customFields = settings.custom_fields;
  if (settings?.default_payment_method !== undefined) {
    next.invoiceSettings.defaultPaymentMethod = settings.default_payment_method;
  }
  if (settings?.footer !== undefined) next.invoiceSettings.footer = settings.footer;
  if (params.metadata !== undefined) next.metadata = mergeMetadata(customer.metadata, params.metadata);
  if (params.name !== undefined) next.name = params.name;
  if (params.next_invoice_sequence !== undefined) next.nextInvoiceSequence = params.next_invoice_sequence;
  if (params.phone !== undefined) next.phone = params.phone;
  if (params.preferred_locales !== undefined) next.preferredLocales = params.preferred_locales ?? [];
  if (params.shipping !== undefined) {
    next.shipping = params.shipping
      ? {
          name: params.shipping.name,
          phone: params.shipping.phone ?? null,
          address: toAddress(params.shipping.address),
        }
      : null;
  }
  if (params.tax_exempt !== undefined) next.taxExempt = params.tax_exempt ?? 'none';
  return next;
}

// Stripe merges metadata: a key set to "" is removed, `metadata=""` clears it all.
export function mergeMetadata(
  current: Record<string, string>,
  changes: Record<string, string | null> | null,
): Record<string, string> {
  if (changes === null || Object.keys(changes).length === 0) return changes === null ? {} : { ...current };
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > 50)
    throw invalidRequest('Metadata can have up to 50 keys.', undefined, 'metadata');
  return merged;
}

// Stripe keeps a customer's balance in the account's default currency when it is set directly
// (the `balance` parameter has no currency); ours is usd, as for invoices.
async function recordBalanceChange(
  trx: Knex.Transaction,
  customer: CustomerRecord,
  amount: number,
  type: 'initial' | 'adjustment',
): Promise<Pick<CustomerRecord, 'balance' | 'currency'>> {
  const { record } = await recordBalanceTransaction(trx, {
    accountId: customer.accountId,
    customerId: customer.id,
    id: newId('cbtxn'),
    amount,
    currency: customer.currency ?? 'usd',
    type,
    invoiceId: null,
    description: null,
    metadata: {},
    created: Math.floor(Date.now() / 1000),
  });
  return { balance: record.endingBalance, currency: record.currency };
}

function randomInvoicePrefix(): string {
  return newId('x')
    .slice(2, 10)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '0');
}

const retrieveSchema = { expand: expandField };
const listSchema = {
  ...paginationFields,
  created: rangeField(),
  email: string({ maxLength: 512 }),
  expand: expandField,
};

// customer.created / updated / deleted, written with the change (the outbox).
function customerEventRows(
  ctx: RouteContext,
  customerId: string,
  type: string,
  body: object,
  previous?: Record<string, unknown>,
): EventRow[] {
  const event = {
    id: newId('evt'),
    type,
    created: Math.floor(Date.now() / 1000),
    previousAttributes: previous,
  };
  const request = { id: ctx.requestId, idempotencyKey: ctx.req.header('idempotency-key') ?? null };
  return eventRows(ctx.account.id, customerId, [event], body as Record<string, unknown>, request);
}

export function customerRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/customers',
    route(async (ctx) => {
      const params = parseParams(customerCreateSchema, ctx.body);
      const clockId = params.test_clock ?? null;
      const clock = clockId ? await findTestClock(db, ctx.account.id, clockId) : null;
      if (clockId && !clock) throw resourceMissing('test_clock', clockId, 'test_clock');
      const blank: CustomerRecord = {
        id: idForRequest('cus', ctx),
        accountId: ctx.account.id,
        // A customer on a test clock is created in the clock's time.
        created: clock?.frozenTime ?? Math.floor(Date.now() / 1000),
        email: null,
        name: null,
        phone: null,
        description: null,
        balance: 0,
        currency: null,
        invoicePrefix: randomInvoicePrefix(),
        nextInvoiceSequence: 1,
        testClockId: clockId,
        deleted: false,
        metadata: {},
        address: null,
        shipping: null,
        invoiceSettings: { defaultPaymentMethod: null, footer: null, customFields: null },
        preferredLocales: [],
        taxExempt: 'none',
      };
      const customer = applyCustomerParams(blank, params);
      try {
        // Stripe records a non-zero starting balance as an 'initial' balance transaction.
        const initial = customer.balance;
        if (initial === 0) {
          // The usual case: the row and the idempotent answer in one statement.
          const body = renderCustomer(customer);
          const created = customerEventRows(ctx, customer.id, 'customer.created', body);
          await writeWithAnswer(
            db,
            ctx.res,
            [insertCustomerQuery(db, customer), eventInsert(db, created, created[0].created)],
            body,
          );
          return body;
        }
        requireClaim(ctx.res); // not one statement: the key is claimed first
        await db.transaction(async (trx) => {
          await insertCustomer(trx, { ...customer, balance: 0 });
          Object.assign(customer, await recordBalanceChange(trx, customer, initial, 'initial'));
          await insertEventRows(
            trx,
            customerEventRows(ctx, customer.id, 'customer.created', renderCustomer(customer)),
          );
        });
      } catch (error) {
        if (isUniqueViolation(error, 'customers_account_id_invoice_prefix_unique')) {
          throw invalidRequest(
            `The invoice prefix ${customer.invoicePrefix} is already in use by another customer.`,
            'invoice_prefix_in_use',
            'invoice_prefix',
          );
        }
        throw error;
      }
      return renderCustomer(customer);
    }),
  );

  router.get(
    '/customers/:id',
    route(async (ctx) => {
      parseParams(retrieveSchema, inputOf(ctx));
      const customer = await findCustomer(db, ctx.account.id, ctx.params.id, { includeDeleted: true });
      if (!customer) throw resourceMissing('customer', ctx.params.id);
      return customer.deleted ? renderDeletedCustomer(customer.id) : renderCustomer(customer);
    }),
  );

  router.post(
    '/customers/:id',
    route(async (ctx) => {
      const params = parseParams(customerUpdateSchema, ctx.body);
      return db.transaction(async (trx) => {
        const current = await findCustomer(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing('customer', ctx.params.id);
        const next = applyCustomerParams(current, params);
        // A new `balance` is the ledger's business: it moves by the difference, as an 'adjustment'.
        await updateCustomer(trx, { ...next, balance: current.balance });
        const delta = next.balance - current.balance;
        if (delta !== 0) Object.assign(next, await recordBalanceChange(trx, current, delta, 'adjustment'));
        const body = renderCustomer(next);
        const before = renderCustomer(current) as unknown as Record<string, unknown>;
        const previous = previousAttributes(before, body as unknown as Record<string, unknown>);
        if (Object.keys(previous).length > 0) {
          await insertEventRows(trx, customerEventRows(ctx, next.id, 'customer.updated', body, previous));
        }
        return body;
      });
    }),
  );

  router.delete(
    '/customers/:id',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx)); // unknown parameters are refused before anything is deleted
      return db.transaction(async (trx) => {
        const current = await findCustomer(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing('customer', ctx.params.id);
        await trx('customers')
          .where({ account_id: ctx.account.id, id: current.id })
          .update({ deleted: true });
        // customer.deleted carries the customer as it was, as Stripe's does.
        await insertEventRows(
          trx,
          customerEventRows(ctx, current.id, 'customer.deleted', renderCustomer(current)),
        );
        return renderDeletedCustomer(ctx.params.id);
      });
    }),
  );

  router.get(
    '/customers',
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      let base = db('customers').where({ account_id: ctx.account.id, deleted: false });
      if (params.email !== undefined) base = base.andWhere({ email: params.email });
      base = applyRange(base, 'created', params.created);
      const page = await fetchPage<Parameters<typeof customerFromRow>[0]>(base, params, 'customer');
      return listObject(
        '/v1/customers',
        page.rows.map((row) => renderCustomer(customerFromRow(row))),
        page.hasMore,
      );
    }),
  );

  return router;
}
