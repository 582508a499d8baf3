// /v1/payment_methods for Stripe's test cards: made from a test token or card number, retrieved,
// attached to and detached from a customer, listed per customer. Attaching a pm_card_* test card
// makes a payment method of the customer's own (a new pm_ id), as Stripe does; charging any of
// them behaves as its test card (db/repositories/payment-methods.ts).
import { Router } from 'express';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findCustomer } from '../../db/repositories/customers';
import {
  findPaymentMethodRow,
  insertPaymentMethod,
  paymentMethodsOf,
  setPaymentMethodCustomer,
  type PaymentMethodRow,
} from '../../db/repositories/payment-methods';
import { DomainError, invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import {
  findTestPaymentMethod,
  testMethodOfNumber,
  testMethodOfToken,
} from '../../workflows/domain/payment-methods';
import { renderPaymentMethod } from '../../workflows/domain/render/payment-method';
import { idForRequest } from '../stripe/idempotent-ids';
import { inputOf, route, type RouteContext } from '../stripe/handler';
import { fetchPage, listObject, paginationFields } from '../stripe/list';
import {
  emptyable,
  expandField,
  integer,
  metadata,
  object,
  oneOf,
  parseParams,
  required,
  string,
} from '../stripe/params';
import { withoutNulls } from './invoice-commands';
import { recordObjectEvent } from './object-events';

const RESOURCE = 'payment_method';

const createSchema = {
  type: required(oneOf(['card'] as const)),
  card: object({
    token: string({ maxLength: 255 }),
    number: string({ maxLength: 32 }),
    exp_month: integer({ min: 1, max: 12 }),
    exp_year: integer({ min: 0, max: 9999 }),
    cvc: string({ maxLength: 4 }),
  }),
  billing_details: object({
    email: emptyable(string({ maxLength: 800 })),
    name: emptyable(string({ maxLength: 800 })),
    phone: emptyable(string({ maxLength: 800 })),
  }),
  metadata: emptyable(metadata()),
  expand: expandField,
};
const attachSchema = { customer: required(string({ maxLength: 255 })), expand: expandField };
const listSchema = {
  ...paginationFields,
  customer: string({ maxLength: 255 }),
  type: oneOf(['card'] as const),
  expand: expandField,
};

function withoutSeq(row: PaymentMethodRow): Omit<PaymentMethodRow, 'seq'> {
  return {
    id: row.id,
    account_id: row.account_id,
    customer_id: row.customer_id,
    card: row.card,
    metadata: row.metadata,
    created: row.created,
  };
}

function rendered(row: PaymentMethodRow) {
  const card = findTestPaymentMethod(row.card);
  if (!card) throw new Error(`payment method ${row.id} names no test card (${row.card})`);
  return renderPaymentMethod(card, row.customer_id, {
    id: row.id,
    created: row.created,
    metadata: row.metadata,
  });
}

export function paymentMethodRoutes({ db }: AppDeps): Router {
  const router = Router();

  async function requireCustomer(accountId: string, id: string, param?: string) {
    const customer = await findCustomer(db, accountId, id);
    if (!customer) throw resourceMissing('customer', id, param);
    return customer;
  }

  async function listFor(ctx: RouteContext, customerId: string, url: string) {
    const params = parseParams(listSchema, inputOf(ctx));
    const page = await fetchPage<PaymentMethodRow>(
      paymentMethodsOf(db, ctx.account.id, customerId),
      params,
      RESOURCE,
    );
    return listObject(
      url,
      page.rows.map((row) => rendered({ ...row, created: Number(row.created) })),
      page.hasMore,
    );
  }

  async function moved(db: Database, ctx: RouteContext, row: PaymentMethodRow, type: string) {
    const body = rendered(row);
    await db.transaction((trx) =>
      recordObjectEvent(trx, { accountId: ctx.account.id, id: row.id }, type, body, {
        id: ctx.requestId,
        idempotencyKey: ctx.req.header('idempotency-key') ?? null,
      }),
    );
    return body;
  }

  router.post(
    '/payment_methods',
    route(async (ctx) => {
      const params = parseParams(createSchema, ctx.body);
      const card = params.card?.token
        ? testMethodOfToken(params.card.token)
        : params.card?.number
          ? testMethodOfNumber(params.card.number)
          : null;
      if (!card) {
        if (params.card?.token) throw resourceMissing('token', params.card.token, 'card[token]');
        if (params.card?.number) {
          throw new DomainError({
            status: 402,
            type: 'card_error',
            code: 'incorrect_number',
            message: 'Your card number is incorrect.',
            param: 'card[number]',
          });
        }
        throw invalidRequest('Missing required param: card.', 'parameter_missing', 'card');
      }
      const row: PaymentMethodRow = {
        seq: 0,
        id: idForRequest('pm', ctx),
        account_id: ctx.account.id,
        customer_id: null,
        card: card.id,
        metadata: withoutNulls(params.metadata),
        created: Math.floor(Date.now() / 1000),
      };
      await insertPaymentMethod(db, withoutSeq(row));
      return rendered(row);
    }),
  );

  router.get(
    '/payment_methods',
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      if (params.customer === undefined) return listObject('/v1/payment_methods', [], false);
      await requireCustomer(ctx.account.id, params.customer, 'customer');
      return listFor(ctx, params.customer, '/v1/payment_methods');
    }),
  );

  router.get(
    '/customers/:id/payment_methods',
    route(async (ctx) => {
      await requireCustomer(ctx.account.id, ctx.params.id);
      return listFor(ctx, ctx.params.id, `/v1/customers/${ctx.params.id}/payment_methods`);
    }),
  );

  router.get(
    '/payment_methods/:id',
    route(async (ctx) => {
      parseParams({ expand: expandField }, inputOf(ctx));
      const builtIn = findTestPaymentMethod(ctx.params.id);
      if (builtIn) return renderPaymentMethod(builtIn, null);
      const row = await findPaymentMethodRow(db, ctx.account.id, ctx.params.id);
      if (!row) throw resourceMissing('PaymentMethod', ctx.params.id);
      return rendered(row);
    }),
  );

  router.post(
    '/payment_methods/:id/attach',
    route(async (ctx) => {
      const params = parseParams(attachSchema, ctx.body);
      const customer = await requireCustomer(ctx.account.id, params.customer, 'customer');
      const builtIn = findTestPaymentMethod(ctx.params.id);
      if (builtIn) {
        // The test card becomes a payment method of the customer's own.
        const row: PaymentMethodRow = {
          seq: 0,
          id: idForRequest('pm', ctx),
          account_id: ctx.account.id,
          customer_id: customer.id,
          card: builtIn.id,
          metadata: {},
          created: Math.floor(Date.now() / 1000),
        };
        await insertPaymentMethod(db, withoutSeq(row));
        return moved(db, ctx, row, 'payment_method.attached');
      }
      const row = await findPaymentMethodRow(db, ctx.account.id, ctx.params.id);
      if (!row) throw resourceMissing('PaymentMethod', ctx.params.id);
      if (row.customer_id === customer.id) return rendered(row);
      if (row.customer_id !== null) {
        throw invalidRequest(
          'The payment method you provided has already been attached to a customer.',
          'payment_method_unexpected_state',
        );
      }
      await setPaymentMethodCustomer(db, row.id, customer.id);
      return moved(db, ctx, { ...row, customer_id: customer.id }, 'payment_method.attached');
    }),
  );

  router.post(
    '/payment_methods/:id/detach',
    route(async (ctx) => {
      parseParams({ expand: expandField }, ctx.body);
      const row = await findPaymentMethodRow(db, ctx.account.id, ctx.params.id);
      if (!row) throw resourceMissing('PaymentMethod', ctx.params.id);
      if (row.customer_id === null) {
        throw invalidRequest(
          'The payment method you provided is not attached to a customer so detachment is impossible.',
          'payment_method_unexpected_state',
        );
      }
      await setPaymentMethodCustomer(db, row.id, null);
      return moved(db, ctx, { ...row, customer_id: null }, 'payment_method.detached');
    }),
  );

  return router;
}
