// The writes products and prices share: each row change goes with its event (product.created,
// price.updated, ...) in one transaction, as the event outbox requires, and the constraint
// failures Postgres reports become the Stripe errors they stand for.
import type { Knex } from 'knex';
import { isUniqueViolation } from '../../db/postgres-errors';
import { insertEvents, type EventRequest } from '../../db/repositories/invoices';
import { findPriceByLookupKey, insertPrice, savePrice } from '../../db/repositories/prices';
import { insertProduct, saveProduct } from '../../db/repositories/products';
import { newId } from '../../db/random-ids';
import { DomainError, invalidRequest } from '../../workflows/domain/errors';
import { updatePrice, type PriceRecord } from '../../workflows/domain/price';
import type { ProductRecord } from '../../workflows/domain/product';
import { renderPrice } from '../../workflows/domain/render/price';
import { renderProduct } from '../../workflows/domain/render/product';
import type { RouteContext } from '../stripe/handler';
import { callerOf } from './invoice-view';

type Wire = Record<string, unknown>;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function eventRequestOf(ctx: RouteContext): EventRequest {
  const caller = callerOf(ctx);
  return { id: caller.requestId ?? null, idempotencyKey: caller.idempotencyKey ?? null };
}

// Stripe's previous_attributes: the top-level fields that changed, with their old values.
function previousAttributes(before: Wire, after: Wire): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(before)) {
    if (JSON.stringify(value) !== JSON.stringify(after[key])) changed[key] = value;
  }
  return changed;
}

function productWire(product: ProductRecord): Wire {
  return renderProduct(product) as unknown as Wire;
}

function priceWire(price: PriceRecord): Wire {
  return renderPrice(price) as unknown as Wire;
}

export async function createProduct(
  trx: Knex.Transaction,
  product: ProductRecord,
  request: EventRequest,
): Promise<void> {
  try {
    // A savepoint: a duplicate id must not poison the caller's transaction before it is reported.
    await trx.transaction((inner) => insertProduct(inner, product));
  } catch (error) {
    if (isUniqueViolation(error, 'products_account_id_id_unique')) {
      throw invalidRequest('Product already exists.', 'resource_already_exists', 'id');
    }
    throw error;
  }
  await insertEvents(
    trx,
    product.accountId,
    product.id,
    [event('product.created')],
    productWire(product),
    request,
  );
}

export async function changeProduct(
  trx: Knex.Transaction,
  before: ProductRecord,
  after: ProductRecord,
  request: EventRequest,
): Promise<void> {
  await saveProduct(trx, after);
  const previous = previousAttributes(productWire(before), productWire(after));
  await insertEvents(
    trx,
    after.accountId,
    after.id,
    [event('product.updated', previous)],
    productWire(after),
    request,
  );
}

export async function recordProductDeleted(
  trx: Knex.Transaction,
  product: ProductRecord,
  request: EventRequest,
): Promise<void> {
  await insertEvents(
    trx,
    product.accountId,
    product.id,
    [event('product.deleted')],
    productWire(product),
    request,
  );
}

function lookupKeyTaken(owner: string): Error {
  return invalidRequest(`A price (\`${owner}\`) already uses that lookup key.`, undefined, 'lookup_key');
}

// Stripe's transfer_lookup_key: the key moves from the price holding it to this one; without
// it, a key already in use is refused.
async function claimLookupKey(
  trx: Knex.Transaction,
  price: PriceRecord,
  transfer: boolean,
  request: EventRequest,
): Promise<void> {
  if (price.lookupKey === null) return;
  const holder = await findPriceByLookupKey(trx, price.accountId, price.lookupKey, { forUpdate: true });
  if (!holder || holder.id === price.id) return;
  if (!transfer) throw lookupKeyTaken(holder.id);
  await changePrice(trx, holder, updatePrice(holder, { lookupKey: null }), request);
}

async function guardedLookupKey(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    // Two requests claimed the same key at once: the loser hears what a later one would.
    if (isUniqueViolation(error, 'prices_account_lookup_key_unique')) throw lookupKeyTaken('another price');
    throw error;
  }
}

export async function createPrice(
  trx: Knex.Transaction,
  price: PriceRecord,
  options: { transferLookupKey: boolean },
  request: EventRequest,
): Promise<void> {
  await claimLookupKey(trx, price, options.transferLookupKey, request);
  try {
    await guardedLookupKey(() => trx.transaction((inner) => insertPrice(inner, price)));
  } catch (error) {
    // The product was deleted between its lookup and this insert (the foreign key saw it go).
    if ((error as { code?: string })?.code === '23503') {
      throw missingReference('product', price.productId, 'product');
    }
    throw error;
  }
  await insertEvents(trx, price.accountId, price.id, [event('price.created')], priceWire(price), request);
}

export async function changePrice(
  trx: Knex.Transaction,
  before: PriceRecord,
  after: PriceRecord,
  request: EventRequest,
  options: { transferLookupKey?: boolean } = {},
): Promise<void> {
  if (after.lookupKey !== before.lookupKey) {
    await claimLookupKey(trx, after, options.transferLookupKey ?? false, request);
  }
  await guardedLookupKey(() => trx.transaction((inner) => savePrice(inner, after)));
  const previous = previousAttributes(priceWire(before), priceWire(after));
  await insertEvents(
    trx,
    after.accountId,
    after.id,
    [event('price.updated', previous)],
    priceWire(after),
    request,
  );
}

function event(type: string, previous?: Record<string, unknown>) {
  return { id: newId('evt'), type, created: nowSeconds(), previousAttributes: previous };
}

// An id named inside a request body that does not exist: Stripe answers 400, not 404, naming
// the parameter.
export function missingReference(resource: string, id: string, param: string): DomainError {
  return new DomainError({
    status: 400,
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${resource}: '${id}'`,
    param,
  });
}
