// /v1/prices: what a product costs, read and written directly in Postgres and scoped by the
// caller's account. A price's amount, currency and recurrence are fixed at creation, as at
// Stripe; an update changes only active, nickname, lookup_key, tax_behavior and metadata.
import { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findPrice, priceFromRow, pricesOf, type PriceRow } from '../../db/repositories/prices';
import { findProduct } from '../../db/repositories/products';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { newPrice, updatePrice, type PriceRecord } from '../../workflows/domain/price';
import { newProduct, PRODUCT_ID_PATTERN, type ProductRecord } from '../../workflows/domain/product';
import { renderPrice } from '../../workflows/domain/render/price';
import { renderProduct } from '../../workflows/domain/render/product';
import { applyExpansions } from '../stripe/expand';
import { inputOf, route } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams, type Infer } from '../stripe/params';
import { priceCreateSchema, priceListSchema, priceUpdateSchema, retrieveSchema } from './catalog-params';
import {
  changePrice,
  createPrice,
  createProduct,
  eventRequestOf,
  missingReference,
  nowSeconds,
} from './catalog-writes';
import { mergeMetadata } from './customers';

const RESOURCE = 'price';

type Body = Stripe.Price & Record<string, unknown>;
type CreateParams = Infer<typeof priceCreateSchema>;
type UpdateParams = Infer<typeof priceUpdateSchema>;

function present(db: Database, price: PriceRecord, expand?: string[]): Promise<Body> {
  return applyExpansions<Body>(renderPrice(price) as Body, expand, {
    product: async (body) => {
      const product = await findProduct(db, price.accountId, price.productId);
      if (product) body.product = renderProduct(product);
    },
  });
}

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

// product or product_data, exactly one: the price's product, existing or to be created with it.
async function productFor(
  db: Database,
  params: CreateParams,
  ctx: Parameters<typeof idForRequest>[1],
  now: number,
): Promise<{ product: ProductRecord; isNew: boolean }> {
  if (params.product !== undefined && params.product_data !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: product, product_data.',
      'parameters_exclusive',
      'product',
    );
  }
  if (params.product !== undefined) {
    const product = await findProduct(db, ctx.account.id, params.product);
    if (!product) throw missingReference('product', params.product, 'product');
    return { product, isNew: false };
  }
  const data = params.product_data;
  if (data === undefined) {
    throw invalidRequest(
      'You must specify either `product` or `product_data` when creating a price.',
      'parameter_missing',
      'product',
    );
  }
  if (data.id !== undefined && !PRODUCT_ID_PATTERN.test(data.id)) {
    throw invalidRequest(
      `Invalid product_data[id]: ${data.id}`,
      'parameter_invalid_string',
      'product_data[id]',
    );
  }
  const product = newProduct(
    {
      id: data.id ?? idForRequest('prod', ctx),
      accountId: ctx.account.id,
      name: data.name,
      active: data.active,
      metadata: withoutUnset(data.metadata),
      statementDescriptor: data.statement_descriptor,
      taxCode: data.tax_code,
      unitLabel: data.unit_label,
    },
    now,
  );
  return { product, isNew: true };
}

function applyUpdate(price: PriceRecord, params: UpdateParams): PriceRecord {
  // Stripe: once inclusive or exclusive, a price's tax behavior is fixed.
  const current = price.taxBehavior ?? 'unspecified';
  if (params.tax_behavior !== undefined && current !== 'unspecified' && params.tax_behavior !== current) {
    throw invalidRequest(
      'The tax behavior of a price cannot be changed once it is set to inclusive or exclusive.',
      undefined,
      'tax_behavior',
    );
  }
  return updatePrice(price, {
    active: params.active,
    nickname: params.nickname,
    lookupKey: params.lookup_key,
    taxBehavior: params.tax_behavior,
    metadata: params.metadata !== undefined ? mergeMetadata(price.metadata, params.metadata) : undefined,
  });
}

export function priceRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/prices',
    route(async (ctx) => {
      const params = parseParams(priceCreateSchema, ctx.body);
      const now = nowSeconds();
      const { product, isNew } = await productFor(db, params, ctx, now);
      const price = newPrice(
        {
          id: idForRequest('price', ctx),
          accountId: ctx.account.id,
          productId: product.id,
          currency: params.currency,
          unitAmount: params.unit_amount,
          unitAmountDecimal: params.unit_amount_decimal,
          recurring: params.recurring
            ? {
                interval: params.recurring.interval,
                intervalCount: params.recurring.interval_count,
                usageType: params.recurring.usage_type,
              }
            : null,
          active: params.active,
          nickname: params.nickname,
          lookupKey: params.lookup_key,
          metadata: withoutUnset(params.metadata),
          taxBehavior: params.tax_behavior,
        },
        now,
      );
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        if (isNew) await createProduct(trx, product, request);
        await createPrice(trx, price, { transferLookupKey: params.transfer_lookup_key ?? false }, request);
      });
      return present(db, price, params.expand);
    }),
  );

  router.get(
    '/prices/:id',
    route(async (ctx) => {
      const params = parseParams(retrieveSchema, inputOf(ctx));
      const price = await findPrice(db, ctx.account.id, ctx.params.id);
      if (!price) throw resourceMissing(RESOURCE, ctx.params.id);
      return present(db, price, params.expand);
    }),
  );

  router.post(
    '/prices/:id',
    route(async (ctx) => {
      const params = parseParams(priceUpdateSchema, ctx.body);
      const request = eventRequestOf(ctx);
      const price = await db.transaction(async (trx) => {
        const current = await findPrice(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing(RESOURCE, ctx.params.id);
        const next = applyUpdate(current, params);
        if (current.active && !next.active) {
          const product = await findProduct(trx, ctx.account.id, current.productId);
          if (product?.defaultPriceId === current.id) {
            throw invalidRequest(
              'This price cannot be archived because it is the default price of its product.',
              undefined,
              'active',
            );
          }
        }
        await changePrice(trx, current, next, request, { transferLookupKey: params.transfer_lookup_key });
        return next;
      });
      return present(db, price, params.expand);
    }),
  );

  router.get(
    '/prices',
    route(async (ctx) => {
      const params = parseParams(priceListSchema, inputOf(ctx));
      const base = applyRange(
        pricesOf(db, ctx.account.id, {
          active: params.active,
          currency: params.currency,
          product: params.product,
          type: params.type,
          interval: params.recurring?.interval,
          usageType: params.recurring?.usage_type,
          lookupKeys: params.lookup_keys,
        }),
        'created',
        params.created,
      );
      const page = await fetchPage<PriceRow>(base, params, RESOURCE);
      const expand = params.expand?.map((path) =>
        path.startsWith('data.') ? path.slice('data.'.length) : path,
      );
      const data = await Promise.all(page.rows.map((row) => present(db, priceFromRow(row), expand)));
      return listObject('/v1/prices', data, page.hasMore);
    }),
  );

  return router;
}
