// /v1/products: the account's catalogue, a Postgres table the API reads and writes directly (no
// workflow owns a product). Every query is scoped by the caller's account.
import { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findPrice, productHasPrices } from '../../db/repositories/prices';
import {
  deleteProduct,
  findProduct,
  productFromRow,
  productsOf,
  type ProductRow,
} from '../../db/repositories/products';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { newPrice } from '../../workflows/domain/price';
import { newProduct, PRODUCT_ID_PATTERN, type ProductRecord } from '../../workflows/domain/product';
import { renderPrice } from '../../workflows/domain/render/price';
import { renderDeletedProduct, renderProduct } from '../../workflows/domain/render/product';
import { applyExpansions } from '../stripe/expand';
import { inputOf, route } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams, type Infer } from '../stripe/params';
import {
  productCreateSchema,
  productListSchema,
  productUpdateSchema,
  retrieveSchema,
} from './catalog-params';
import {
  changeProduct,
  createPrice,
  createProduct,
  eventRequestOf,
  missingReference,
  nowSeconds,
  recordProductDeleted,
} from './catalog-writes';
import { mergeMetadata } from './customers';

const RESOURCE = 'product';

type Body = Stripe.Product & Record<string, unknown>;
type UpdateParams = Infer<typeof productUpdateSchema>;

function present(db: Database, product: ProductRecord, expand?: string[]): Promise<Body> {
  return applyExpansions<Body>(renderProduct(product) as Body, expand, {
    default_price: async (body) => {
      const price = product.defaultPriceId
        ? await findPrice(db, product.accountId, product.defaultPriceId)
        : null;
      if (price) body.default_price = renderPrice(price);
    },
  });
}

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

function productNotFound(id: string): Error {
  return resourceMissing(RESOURCE, id);
}

// The new default price must be an active price of this very product.
async function checkDefaultPrice(db: Database, product: ProductRecord, priceId: string): Promise<void> {
  const price = await findPrice(db, product.accountId, priceId);
  if (!price) {
    throw missingReference('price', priceId, 'default_price');
  }
  if (price.productId !== product.id) {
    throw invalidRequest(
      `The price \`${priceId}\` does not belong to the product \`${product.id}\`.`,
      undefined,
      'default_price',
    );
  }
  if (!price.active) {
    throw invalidRequest(
      `The price \`${priceId}\` is archived and cannot be the default price.`,
      undefined,
      'default_price',
    );
  }
}

function applyUpdate(product: ProductRecord, params: UpdateParams, now: number): ProductRecord {
  const next: ProductRecord = { ...product, updated: now };
  if (params.active !== undefined) next.active = params.active;
  if (params.default_price !== undefined) next.defaultPriceId = params.default_price;
  if (params.description !== undefined) next.description = params.description;
  if (params.images !== undefined) next.images = params.images ?? [];
  if (params.marketing_features !== undefined) next.marketingFeatures = params.marketing_features ?? [];
  if (params.metadata !== undefined) next.metadata = mergeMetadata(product.metadata, params.metadata);
  if (params.name !== undefined) next.name = params.name;
  if (params.package_dimensions !== undefined) next.packageDimensions = params.package_dimensions;
  if (params.shippable !== undefined) next.shippable = params.shippable;
  if (params.statement_descriptor !== undefined) next.statementDescriptor = params.statement_descriptor;
  if (params.tax_code !== undefined) next.taxCode = params.tax_code;
  if (params.unit_label !== undefined) next.unitLabel = params.unit_label;
  if (params.url !== undefined) next.url = params.url;
  return next;
}

export function productRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post(
    '/products',
    route(async (ctx) => {
      const params = parseParams(productCreateSchema, ctx.body);
      if (params.id !== undefined && !PRODUCT_ID_PATTERN.test(params.id)) {
        throw invalidRequest(`Invalid id: ${params.id}`, 'parameter_invalid_string', 'id');
      }
      const now = nowSeconds();
      const id = params.id ?? idForRequest('prod', ctx);
      const priceData = params.default_price_data;
      // Checked before anything is written, so a bad price leaves no product behind.
      const price = priceData
        ? newPrice(
            {
              id: idForRequest('price', ctx),
              accountId: ctx.account.id,
              productId: id,
              currency: priceData.currency,
              unitAmount: priceData.unit_amount,
              unitAmountDecimal: priceData.unit_amount_decimal,
              recurring: priceData.recurring
                ? {
                    interval: priceData.recurring.interval,
                    intervalCount: priceData.recurring.interval_count,
                  }
                : null,
              metadata: withoutUnset(priceData.metadata),
              taxBehavior: priceData.tax_behavior,
            },
            now,
          )
        : null;
      const product = newProduct(
        {
          id,
          accountId: ctx.account.id,
          name: params.name,
          active: params.active,
          description: params.description,
          defaultPriceId: price?.id ?? null,
          images: params.images,
          marketingFeatures: params.marketing_features,
          packageDimensions: params.package_dimensions,
          shippable: params.shippable,
          statementDescriptor: params.statement_descriptor,
          taxCode: params.tax_code,
          unitLabel: params.unit_label,
          url: params.url,
          type: params.type,
          metadata: withoutUnset(params.metadata),
        },
        now,
      );
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        await createProduct(trx, product, request);
        if (price) await createPrice(trx, price, { transferLookupKey: false }, request);
      });
      return present(db, product, params.expand);
    }),
  );

  router.get(
    '/products/:id',
    route(async (ctx) => {
      const params = parseParams(retrieveSchema, inputOf(ctx));
      const product = await findProduct(db, ctx.account.id, ctx.params.id);
      if (!product) throw productNotFound(ctx.params.id);
      return present(db, product, params.expand);
    }),
  );

  router.post(
    '/products/:id',
    route(async (ctx) => {
      const params = parseParams(productUpdateSchema, ctx.body);
      const request = eventRequestOf(ctx);
      const product = await db.transaction(async (trx) => {
        const current = await findProduct(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw productNotFound(ctx.params.id);
        if (params.default_price !== undefined) await checkDefaultPrice(trx, current, params.default_price);
        const next = applyUpdate(current, params, nowSeconds());
        await changeProduct(trx, current, next, request);
        return next;
      });
      return present(db, product, params.expand);
    }),
  );

  // Stripe deletes only products without prices; the prices' foreign key holds the same rule.
  router.delete(
    '/products/:id',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx)); // unknown parameters are refused before anything is deleted
      const request = eventRequestOf(ctx);
      await db.transaction(async (trx) => {
        const product = await findProduct(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!product) throw productNotFound(ctx.params.id);
        if (await productHasPrices(trx, ctx.account.id, product.id)) {
          throw invalidRequest(
            'This product cannot be deleted because it has one or more user-created prices.',
          );
        }
        await deleteProduct(trx, ctx.account.id, product.id);
        await recordProductDeleted(trx, product, request);
      });
      return renderDeletedProduct(ctx.params.id);
    }),
  );

  router.get(
    '/products',
    route(async (ctx) => {
      const params = parseParams(productListSchema, inputOf(ctx));
      const base = applyRange(
        productsOf(db, ctx.account.id, {
          active: params.active,
          ids: params.ids,
          shippable: params.shippable,
          type: params.type,
          url: params.url,
        }),
        'created',
        params.created,
      );
      const page = await fetchPage<ProductRow>(base, params, RESOURCE);
      const expand = params.expand?.map((path) =>
        path.startsWith('data.') ? path.slice('data.'.length) : path,
      );
      const data = await Promise.all(page.rows.map((row) => present(db, productFromRow(row), expand)));
      return listObject('/v1/products', data, page.hasMore);
    }),
  );

  return router;
}
