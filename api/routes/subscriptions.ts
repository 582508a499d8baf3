// /v1/subscriptions: writes go to the subscription's workflow (its single source of truth);
// reads come from the projection its activities write.
import { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findCustomer } from '../../db/repositories/customers';
import { findInvoice } from '../../db/repositories/invoices';
import { findPrice } from '../../db/repositories/prices';
import { findProduct } from '../../db/repositories/products';
import { findSubscription, subscriptionsOf } from '../../db/repositories/subscriptions';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { renderCustomer } from '../../workflows/domain/render/customer';
import { renderSubscription } from '../../workflows/domain/render/subscription';
import { assertCanCreateSubscription } from '../../workflows/domain/subscription-create';
import type { PriceChoice } from '../../workflows/domain/subscription-items';
import type { SubscriptionState } from '../../workflows/domain/subscription-types';
import type { ItemChange, UpdateSubscriptionCommand } from '../../workflows/domain/subscription-update';
import { cancelSubscription, updateSubscription } from '../../workflows/subscription-messages';
import { applyExpansions } from '../stripe/expand';
import { inputOf, route } from '../stripe/handler';
import { idForRequest } from '../stripe/idempotent-ids';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams, type Infer } from '../stripe/params';
import { startSubscription, updateSubscriptionWorkflow } from '../../workflows/client/subscription-workflows';
import { missingReference } from './catalog-writes';
import { mergeMetadata } from './customers';
import { invoiceStartFor } from '../../db/repositories/invoice-start';
import { callerOf, presentInvoice } from './invoice-view';
import {
  subscriptionCancelSchema,
  subscriptionCreateSchema,
  subscriptionListSchema,
  subscriptionRetrieveSchema,
  subscriptionUpdateSchema,
} from './subscription-params';
import { resolveTaxRates } from './tax-rate-refs';
import { resolveDiscounts, withRedemptions } from './discount-refs';
import type { DiscountInput } from '../../workflows/domain/discount';

type Body = Stripe.Subscription & Record<string, unknown>;

export function presentSubscription(
  db: Database,
  state: SubscriptionState,
  expand?: string[],
): Promise<Body> {
  return applyExpansions<Body>(renderSubscription(state) as Body, expand, {
    customer: async (body) => {
      const customer = await findCustomer(db, state.accountId, state.customerId);
      if (customer) body.customer = renderCustomer(customer);
    },
    latest_invoice: async (body) => {
      if (!state.latestInvoiceId) return;
      const invoice = await findInvoice(db, state.accountId, state.latestInvoiceId);
      if (invoice) body.latest_invoice = (await presentInvoice(db, invoice)) as unknown as Stripe.Invoice;
    },
  });
}

// A price given by id, with its product's name for line descriptions.
export async function priceChoice(
  db: Database,
  accountId: string,
  priceId: string,
  param: string,
): Promise<PriceChoice> {
  const price = await findPrice(db, accountId, priceId);
  if (!price) throw missingReference('price', priceId, param);
  const product = await findProduct(db, accountId, price.productId);
  return { price, productName: product?.name ?? price.productId };
}

function withoutUnset(values: Record<string, string | null> | null | undefined): Record<string, string> {
  return mergeMetadata({}, values ?? {});
}

type UpdateParams = Infer<typeof subscriptionUpdateSchema>;

export async function updateCommandOf(
  db: Database,
  accountId: string,
  current: SubscriptionState | null,
  params: Pick<UpdateParams, 'items' | 'proration_behavior' | 'proration_date'> & Partial<UpdateParams>,
  paramPrefix = '',
): Promise<UpdateSubscriptionCommand> {
  const items: ItemChange[] | undefined = params.items
    ? await Promise.all(
        params.items.map(async (item, index) => {
          const existing = item.id ? current?.items.find((candidate) => candidate.id === item.id) : undefined;
          return {
            id: item.id,
            price: item.price
              ? await priceChoice(db, accountId, item.price, `${paramPrefix}items[${index}][price]`)
              : undefined,
            quantity: item.quantity,
            deleted: item.deleted,
            metadata:
              item.metadata === undefined
                ? undefined
                : mergeMetadata(existing?.metadata ?? {}, item.metadata),
            taxRates: await resolveTaxRates(
              db,
              accountId,
              item.tax_rates,
              `${paramPrefix}items[${index}][tax_rates]`,
            ),
          };
        }),
      )
    : undefined;
  const defaultTaxRates = await resolveTaxRates(
    db,
    accountId,
    params.default_tax_rates,
    `${paramPrefix}default_tax_rates`,
  );
  return {
    ...(defaultTaxRates !== undefined ? { defaultTaxRates } : {}),
    items,
    prorationBehavior: params.proration_behavior,
    prorationDate: params.proration_date,
    cancelAtPeriodEnd: params.cancel_at_period_end,
    cancelAt: params.cancel_at,
    collectionMethod: params.collection_method,
    daysUntilDue: params.days_until_due,
    defaultPaymentMethod: params.default_payment_method,
    description: params.description,
    metadata:
      params.metadata === undefined || !current
        ? undefined
        : mergeMetadata(current.metadata, params.metadata),
  };
}

export function subscriptionRoutes(deps: AppDeps): Router {
  const { db, temporal, taskQueue } = deps;
  const router = Router();

  async function existing(accountId: string, id: string): Promise<SubscriptionState> {
    const state = await findSubscription(db, accountId, id);
    if (!state) throw resourceMissing('subscription', id);
    return state;
  }

  router.post(
    '/subscriptions',
    route(async (ctx) => {
      const params = parseParams(subscriptionCreateSchema, ctx.body);
      const customer = await findCustomer(db, ctx.account.id, params.customer);
      if (!customer) throw resourceMissing('customer', params.customer, 'customer');
      if (
        params.payment_behavior === 'error_if_incomplete' ||
        params.payment_behavior === 'pending_if_incomplete'
      ) {
        throw invalidRequest(
          `payment_behavior=${params.payment_behavior} is not supported; use allow_incomplete or default_incomplete.`,
          undefined,
          'payment_behavior',
        );
      }
      const items = await Promise.all(
        params.items.map(async (item, index) => ({
          ...(await priceChoice(db, ctx.account.id, item.price, `items[${index}][price]`)),
          quantity: item.quantity,
          metadata: withoutUnset(item.metadata),
          taxRates: await resolveTaxRates(db, ctx.account.id, item.tax_rates, `items[${index}][tax_rates]`),
        })),
      );
      const defaultTaxRates = await resolveTaxRates(
        db,
        ctx.account.id,
        params.default_tax_rates,
        'default_tax_rates',
      );
      if (
        params.currency !== undefined &&
        items.some((item) => item.price.currency !== params.currency?.toLowerCase())
      ) {
        throw invalidRequest('The currency must match the currency of the prices.', undefined, 'currency');
      }
      const start = await invoiceStartFor(db, ctx.account.id, customer);
      const currency = items[0]?.price.currency ?? params.currency ?? 'usd';
      const now = start.clock?.frozenTime ?? Math.floor(Date.now() / 1000);
      const command = {
        subscriptionId: idForRequest('sub', ctx),
        accountId: ctx.account.id,
        customerId: customer.id,
        testClockId: customer.testClockId,
        items,
        collectionMethod: params.collection_method,
        daysUntilDue: params.days_until_due,
        defaultPaymentMethod: params.default_payment_method,
        billingCycleAnchor: params.billing_cycle_anchor,
        prorationBehavior: params.proration_behavior,
        cancelAtPeriodEnd: params.cancel_at_period_end,
        cancelAt: params.cancel_at,
        description: params.description,
        metadata: withoutUnset(params.metadata),
        defaultTaxRates,
      };
      // Refused here, before any workflow starts (the workflow checks again under its lock).
      assertCanCreateSubscription(command, now);
      const discounts = await resolveDiscounts(db, ctx, params.discounts, {
        customerId: customer.id,
        currency,
      });
      const state = await withRedemptions(db, ctx.account.id, discounts, () =>
        startSubscription(
          temporal,
          taskQueue,
          {
            ...callerOf(ctx),
            command: { ...command, discounts: discounts?.discounts as DiscountInput[] | undefined },
          },
          { settings: start.settings, clock: start.clock },
        ),
      );
      return presentSubscription(db, state, params.expand);
    }),
  );

  router.get(
    '/subscriptions',
    route(async (ctx) => {
      const params = parseParams(subscriptionListSchema, inputOf(ctx));
      const base = applyRange(
        subscriptionsOf(db, ctx.account.id, {
          customer: params.customer,
          price: params.price,
          collectionMethod: params.collection_method,
          testClock: params.test_clock,
          status: params.status,
        }),
        'created',
        params.created,
      );
      const page = await fetchPage<{ state: SubscriptionState }>(
        base.select('seq', 'id', 'state'),
        params,
        'subscription',
      );
      const expand = params.expand?.map((path) => (path.startsWith('data.') ? path.slice(5) : path));
      const data = await Promise.all(page.rows.map((row) => presentSubscription(db, row.state, expand)));
      return listObject('/v1/subscriptions', data, page.hasMore);
    }),
  );

  router.get(
    '/subscriptions/:id',
    route(async (ctx) => {
      const params = parseParams(subscriptionRetrieveSchema, inputOf(ctx));
      return presentSubscription(db, await existing(ctx.account.id, ctx.params.id), params.expand);
    }),
  );

  router.post(
    '/subscriptions/:id',
    route(async (ctx) => {
      const params = parseParams(subscriptionUpdateSchema, ctx.body);
      const current = await existing(ctx.account.id, ctx.params.id);
      const command = await updateCommandOf(db, ctx.account.id, current, params);
      const discounts = await resolveDiscounts(db, ctx, params.discounts, {
        customerId: current.customerId,
        currency: current.currency,
        existing: current.discounts ?? [],
      });
      if (discounts) command.discounts = discounts.discounts;
      const state = await withRedemptions(db, ctx.account.id, discounts, () =>
        updateSubscriptionWorkflow(temporal, current, updateSubscription, { ...callerOf(ctx), command }),
      );
      return presentSubscription(db, state, params.expand);
    }),
  );

  router.delete(
    '/subscriptions/:id',
    route(async (ctx) => {
      const params = parseParams(subscriptionCancelSchema, inputOf(ctx));
      const current = await existing(ctx.account.id, ctx.params.id);
      const state = await updateSubscriptionWorkflow(temporal, current, cancelSubscription, {
        ...callerOf(ctx),
        prorate: params.prorate,
        invoiceNow: params.invoice_now,
      });
      return presentSubscription(db, state, params.expand);
    }),
  );

  return router;
}
