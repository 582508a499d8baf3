// GET /v1/subscription_items: a subscription's items, read from its projection (items change
// only through the subscription's own update, as on Stripe's subscription endpoint).
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { findSubscription, findSubscriptionOfItem } from '../../db/repositories/subscriptions';
import { resourceMissing } from '../../workflows/domain/errors';
import { renderSubscriptionItem } from '../../workflows/domain/render/subscription';
import { inputOf, route } from '../stripe/handler';
import { listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { subscriptionItemListSchema, subscriptionRetrieveSchema } from './subscription-params';

export function subscriptionItemRoutes(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  router.get(
    '/subscription_items',
    route(async (ctx) => {
      const params = parseParams(subscriptionItemListSchema, inputOf(ctx));
      const state = await findSubscription(db, ctx.account.id, params.subscription);
      if (!state) throw resourceMissing('subscription', params.subscription, 'subscription');
      // At most 20 items: one page, cut at the cursors like any list.
      let items = state.items;
      if (params.starting_after !== undefined) {
        items = items.slice(items.findIndex((item) => item.id === params.starting_after) + 1);
      }
      if (params.ending_before !== undefined) {
        const end = items.findIndex((item) => item.id === params.ending_before);
        items = end < 0 ? items : items.slice(0, end);
      }
      const limit = params.limit ?? 10;
      const page = items.slice(0, limit).map((item) => renderSubscriptionItem(item, state));
      return listObject(`/v1/subscription_items`, page, items.length > limit);
    }),
  );

  router.get(
    '/subscription_items/:id',
    route(async (ctx) => {
      parseParams(subscriptionRetrieveSchema, inputOf(ctx));
      const state = await findSubscriptionOfItem(db, ctx.account.id, ctx.params.id);
      const item = state?.items.find((candidate) => candidate.id === ctx.params.id);
      if (!state || !item) throw resourceMissing('subscription_item', ctx.params.id);
      return renderSubscriptionItem(item, state);
    }),
  );

  return router;
}
