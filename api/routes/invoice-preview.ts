// POST /v1/invoices/create_preview: the invoice a customer's pending items, a subscription's
// renewal, a change to a subscription or a new subscription would produce, computed with the
// same pure functions the workflows run, with nothing stored or changed.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import { findCustomer } from '../../db/repositories/customers';
import { pendingItemLines } from '../../db/repositories/invoice-item-claims';
import { findSubscription } from '../../db/repositories/subscriptions';
import { findTestClock } from '../../db/repositories/test-clocks';
import { newId } from '../../db/random-ids';
import type { CustomerRecord } from '../../workflows/domain/customer';
import { customerSnapshot } from '../../workflows/domain/customer';
import { DomainError, invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import type { LineInput } from '../../workflows/domain/invoice-lines';
import {
  previewInvoice,
  renewalRequest,
  subscriptionLineInput,
} from '../../workflows/domain/invoice-preview';
import { priceAmount } from '../../workflows/domain/price';
import { createSubscription } from '../../workflows/domain/subscription-create';
import type { InvoiceRequest, SubscriptionState } from '../../workflows/domain/subscription-types';
import { updateSubscription } from '../../workflows/domain/subscription-update';
import { route } from '../stripe/handler';
import { paginationFields } from '../stripe/list';
import {
  arrayOf,
  boolean,
  decimalString,
  emptyable,
  expandField,
  integer,
  metadata,
  object,
  oneOf,
  parseParams,
  string,
  type Infer,
  type Schema,
  timestampField,
} from '../stripe/params';
import { mergeMetadata } from './customers';
import { discountsField, resolveDiscounts } from './discount-refs';
import { resolveTaxRates } from './tax-rate-refs';
import { presentInvoice } from './invoice-view';
import { changedItem, prorationBehavior } from './subscription-params';
import { priceChoice, updateCommandOf } from './subscriptions';

const timestamp = timestampField;

const previewSchema = {
  customer: string({ maxLength: 255 }),
  subscription: string({ maxLength: 255 }),
  currency: string({ maxLength: 3 }),
  subscription_details: object({
    items: arrayOf(changedItem, { max: 20 }),
    proration_behavior: prorationBehavior,
    proration_date: timestamp,
    cancel_at_period_end: boolean(),
    billing_cycle_anchor: timestamp,
    default_tax_rates: emptyable(arrayOf(string({ maxLength: 255 }), { max: 10 })),
  }),
  discounts: emptyable(discountsField),
  invoice_items: arrayOf(
    object({
      amount: integer({ min: -99_999_999, max: 99_999_999 }),
      currency: string({ maxLength: 3 }),
      description: string({ maxLength: 5000 }),
      discountable: boolean(),
      metadata: emptyable(metadata()),
      period: object({ start: timestamp, end: timestamp }),
      price: string({ maxLength: 255 }),
      quantity: integer({ min: 0, max: 1_000_000_000 }),
      unit_amount_decimal: decimalString(),
      tax_rates: arrayOf(string({ maxLength: 255 }), { max: 10 }),
    }),
    { max: 250 },
  ),
  preview_mode: oneOf(['next', 'recurring'] as const),
  expand: expandField,
  // Stripe's list parameters for the embedded lines are accepted and ignored.
  ...paginationFields,
} satisfies Schema;

type PreviewParams = Infer<typeof previewSchema>;

// The customer's time: its test clock's frozen time, or now.
async function nowFor(db: Database, customer: CustomerRecord): Promise<number> {
  if (!customer.testClockId) return Math.floor(Date.now() / 1000);
  const clock = await findTestClock(db, customer.accountId, customer.testClockId);
  return clock?.frozenTime ?? Math.floor(Date.now() / 1000);
}

async function extraLines(
  db: Database,
  accountId: string,
  params: PreviewParams,
  currency: string,
): Promise<LineInput[]> {
  return Promise.all(
    (params.invoice_items ?? []).map(async (item, index) => {
      const param = `invoice_items[${index}]`;
      if (item.currency !== undefined && item.currency.toLowerCase() !== currency) {
        throw invalidRequest(
          'The currency of an invoice item must match the invoice.',
          undefined,
          `${param}[currency]`,
        );
      }
      let amount = item.amount;
      let priceId: string | null = null;
      let productId: string | null = null;
      if (item.price !== undefined) {
        const choice = await priceChoice(db, accountId, item.price, `${param}[price]`);
        amount = priceAmount(choice.price, item.quantity ?? 1);
        priceId = choice.price.id;
        productId = choice.price.productId;
      }
      if (amount === undefined && item.unit_amount_decimal === undefined) {
        throw invalidRequest('Missing required param: amount.', 'parameter_missing', `${param}[amount]`);
      }
      return {
        amount,
        unitAmountDecimal: item.unit_amount_decimal ?? null,
        quantity: item.quantity ?? 1,
        description: item.description ?? null,
        discountable: item.discountable ?? true,
        metadata: mergeMetadata({}, item.metadata ?? {}),
        period:
          item.period?.start !== undefined && item.period.end !== undefined
            ? { start: item.period.start, end: item.period.end }
            : undefined,
        priceId,
        productId,
        taxRates: await resolveTaxRates(db, accountId, item.tax_rates, `${param}[tax_rates]`),
      };
    }),
  );
}

export function invoicePreviewRoutes(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  router.post(
    '/invoices/create_preview',
    route(async (ctx) => {
      const params = parseParams(previewSchema, ctx.body);
      const accountId = ctx.account.id;
      let subscription: SubscriptionState | null = null;
      if (params.subscription !== undefined) {
        subscription = await findSubscription(db, accountId, params.subscription);
        if (!subscription) throw resourceMissing('subscription', params.subscription, 'subscription');
      }
      const customerId = subscription?.customerId ?? params.customer;
      if (customerId === undefined) {
        throw invalidRequest('Must provide customer or subscription.', 'parameter_missing', 'customer');
      }
      if (subscription && params.customer !== undefined && params.customer !== subscription.customerId) {
        throw invalidRequest('The subscription does not belong to this customer.', undefined, 'customer');
      }
      const customer = await findCustomer(db, accountId, customerId);
      if (!customer) throw resourceMissing('customer', customerId, 'customer');
      const now = await nowFor(db, customer);
      const ids = (prefix: string) => newId(prefix);
      const details = params.subscription_details;

      let request: Omit<InvoiceRequest, 'invoiceId'> | null = null;
      let newPending: LineInput[] = [];
      if (subscription && details) {
        const command = await updateCommandOf(
          db,
          accountId,
          subscription,
          { ...details, cancel_at_period_end: details.cancel_at_period_end },
          'subscription_details[',
        );
        command.futureProrationDate = true;
        const change = updateSubscription(subscription, command, now, ids);
        const changed = change.state;
        request = change.invoice ?? renewalRequest(changed);
        newPending = change.pendingItems.map((line) => subscriptionLineInput(line, changed.id));
        subscription = changed;
      } else if (subscription) {
        request = renewalRequest(subscription);
      } else if (details?.items) {
        const items = await Promise.all(
          details.items.map(async (item, index) => {
            if (!item.price) {
              throw invalidRequest(
                'Missing required param: subscription_details[items][][price].',
                'parameter_missing',
                `subscription_details[items][${index}][price]`,
              );
            }
            return {
              ...(await priceChoice(
                db,
                accountId,
                item.price,
                `subscription_details[items][${index}][price]`,
              )),
              quantity: item.quantity,
            };
          }),
        );
        const created = createSubscription(
          {
            subscriptionId: newId('sub'),
            accountId,
            customerId,
            testClockId: customer.testClockId,
            items,
            billingCycleAnchor: details.billing_cycle_anchor,
            prorationBehavior: details.proration_behavior,
          },
          now,
          ids,
        );
        subscription = created.state;
        request = created.invoice;
      }

      const currency = (
        subscription?.currency ??
        params.currency ??
        customer.currency ??
        'usd'
      ).toLowerCase();
      const pendingLines = [
        ...(await pendingItemLines(db, {
          accountId,
          customerId,
          currency,
          subscriptionId: subscription?.id ?? null,
        })),
        ...newPending,
      ];
      const extra = await extraLines(db, accountId, params, currency);
      const discounts = await resolveDiscounts(
        db,
        ctx,
        params.discounts,
        { customerId, currency, existing: subscription?.discounts ?? [] },
        'discounts',
        { redeem: false },
      );
      if (!request && pendingLines.length === 0 && extra.length === 0) {
        throw new DomainError({
          status: 404,
          type: 'invalid_request_error',
          code: 'invoice_upcoming_none',
          message: `No upcoming invoices for customer: ${customerId}`,
        });
      }
      const state = previewInvoice(
        {
          accountId,
          customerId,
          currency,
          customer: customerSnapshot(customer),
          livemode: false,
          testClockId: customer.testClockId,
          subscription,
          request,
          pendingLines,
          extraLines: extra,
          discounts: discounts?.discounts,
        },
        now,
        ids,
      );
      return presentInvoice(db, state, params.expand);
    }),
  );

  return router;
}
