// GET /v1/events and /v1/events/:id, read from the events table. Each row's body is the
// Stripe.Event frozen when it happened; pending_webhooks is the one field that keeps changing
// (webhook delivery updates the column), so the column wins over the body.
import { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { inputOf, route } from '../stripe/handler';
import { applyRange, fetchPage, listObject, paginationFields, rangeField } from '../stripe/list';
import { arrayOf, boolean, expandField, parseParams, string, type Schema } from '../stripe/params';

interface EventRow {
  seq: number;
  id: string;
  pending_webhooks: number;
  body: Stripe.Event;
}

const retrieveSchema = { expand: expandField } satisfies Schema;

const listSchema = {
  ...paginationFields,
  created: rangeField(),
  delivery_success: boolean(),
  type: string({ maxLength: 200 }),
  types: arrayOf(string({ maxLength: 200 }), { max: 20 }),
  expand: expandField,
} satisfies Schema;

function renderEventRow(row: EventRow): Stripe.Event {
  return { ...row.body, pending_webhooks: row.pending_webhooks };
}

// Stripe's `type` filter takes `*` as a wildcard ("invoice.*"): it becomes SQL LIKE's `%`, with
// LIKE's own metacharacters escaped so they match literally.
export function typePattern(type: string): string {
  return type.replace(/[\\%_]/g, (char) => `\\${char}`).replace(/\*/g, '%');
}

export function eventRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get(
    '/events',
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      if (params.type !== undefined && params.types !== undefined) {
        throw invalidRequest(
          'You may only specify one of these parameters: type, types.',
          'parameters_exclusive',
          'types',
        );
      }
      let base = db('events').where({ account_id: ctx.account.id });
      if (params.type !== undefined) {
        base = params.type.includes('*')
          ? base.andWhere('type', 'like', typePattern(params.type))
          : base.andWhere({ type: params.type });
      }
      if (params.types !== undefined) base = base.whereIn('type', params.types);
      // Delivered means no endpoint is still owed the event.
      if (params.delivery_success !== undefined) {
        base = base.andWhere('pending_webhooks', params.delivery_success ? '=' : '>', 0);
      }
      base = applyRange(base, 'created', params.created);
      const page = await fetchPage<EventRow>(base, params, 'event');
      return listObject('/v1/events', page.rows.map(renderEventRow), page.hasMore);
    }),
  );

  router.get(
    '/events/:id',
    route(async (ctx) => {
      parseParams(retrieveSchema, inputOf(ctx));
      const row = (await db('events').where({ account_id: ctx.account.id, id: ctx.params.id }).first()) as
        EventRow | undefined;
      if (!row) throw resourceMissing('event', ctx.params.id);
      return renderEventRow(row);
    }),
  );

  return router;
}
