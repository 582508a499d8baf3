// GET/POST /v1/extensions/collection_settings — an extension of Stripe's API: the automatic
// collection settings Stripe keeps in its Dashboard. New invoices follow the settings of the
// moment they are created.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { findCollectionSettings, saveCollectionSettings } from '../../db/repositories/accounts';
import { withDefaults, type CollectionSettings } from '../../workflows/domain/collection-settings';
import { inputOf, route } from '../stripe/handler';
import { arrayOf, emptyable, integer, oneOf, parseParams } from '../stripe/params';

const DAY_LIMIT = { min: 1, max: 365 };
const updateSchema = {
  finalization_delay: integer({ min: 0, max: 72 * 3600 }),
  finalization_max_delay: integer({ min: 0, max: 72 * 3600 }),
  payment_retry_schedule: emptyable(arrayOf(integer(DAY_LIMIT), { max: 8 })),
  final_action: oneOf(['leave_open', 'mark_uncollectible', 'void'] as const),
  will_be_due_days: emptyable(integer(DAY_LIMIT)),
  overdue_days: emptyable(integer(DAY_LIMIT)),
  upcoming_days: integer(DAY_LIMIT),
};

export function renderCollectionSettings(settings: CollectionSettings) {
  return {
    object: 'collection_settings' as const,
    finalization_delay: settings.finalizationDelaySeconds,
    finalization_max_delay: settings.finalizationMaxDelaySeconds,
    payment_retry_schedule: settings.paymentRetryDays,
    final_action: settings.finalAction,
    will_be_due_days: settings.willBeDueDays,
    overdue_days: settings.overdueDays,
    upcoming_days: settings.upcomingDays,
  };
}

export function collectionSettingsRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get(
    '/extensions/collection_settings',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx));
      return renderCollectionSettings(withDefaults(await findCollectionSettings(db, ctx.account.id)));
    }),
  );

  router.post(
    '/extensions/collection_settings',
    route(async (ctx) => {
      const params = parseParams(updateSchema, ctx.body);
      const next = withDefaults(await findCollectionSettings(db, ctx.account.id));
      if (params.finalization_delay !== undefined) next.finalizationDelaySeconds = params.finalization_delay;
      if (params.finalization_max_delay !== undefined)
        next.finalizationMaxDelaySeconds = params.finalization_max_delay;
      if (params.payment_retry_schedule !== undefined)
        next.paymentRetryDays = params.payment_retry_schedule ?? [];
      if (params.final_action !== undefined) next.finalAction = params.final_action;
      if (params.will_be_due_days !== undefined) next.willBeDueDays = params.will_be_due_days;
      if (params.overdue_days !== undefined) next.overdueDays = params.overdue_days;
      if (params.upcoming_days !== undefined) next.upcomingDays = params.upcoming_days;
      await saveCollectionSettings(db, ctx.account.id, next);
      return renderCollectionSettings(next);
    }),
  );

  return router;
}
