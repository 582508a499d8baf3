import type { ActivityDeps } from './deps';
import { findCustomer } from '../db/repositories/customers';
import {
  assignPaymentToInvoice,
  findPaymentByKey,
  findPaymentRow,
  fromRow,
  recordInvoiceCharge,
  recordPayment,
} from '../db/repositories/payments';
import {
  cancelPaymentStep,
  capturePaymentStep,
  completeActionStep,
  confirmPaymentStep,
  withActionToken,
  type StepResult,
} from '../db/repositories/payment-intent-steps';
import { newId } from '../db/random-ids';
import { recordIntentCreated, recordIntentEvents } from '../db/repositories/payment-intent-events';
import type { DomainErrorData } from '../workflows/domain/errors';
import type { ChargeOutcome } from '../workflows/domain/payment-methods';
import { unknownPaymentMethod } from '../workflows/domain/payment-intent';
import { resolveTestPaymentMethod } from '../db/repositories/payment-methods';
import { chargedPayment } from '../workflows/domain/render/payment-intent';

export interface ChargeInput {
  accountId: string;
  invoiceId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string | null; // given with the request
  invoicePaymentMethod: string | null; // the invoice's default_payment_method
  // The invoice's own PaymentIntent (its default invoice payment's); absent on invoices
  // finalized before invoice payments, whose attempts are each a PaymentIntent of their own.
  paymentIntentId?: string | null;
  idempotencyKey: string;
  now: number;
}

export type ChargeResult = ChargeOutcome | { status: 'refused'; error: DomainErrorData };

export interface ClaimInput {
  accountId: string;
  invoiceId: string;
  paymentIntentId: string;
  currency: string;
  // Absent on attaches recorded before partial payments (then: succeeded ones only, any amount).
  customerId?: string;
  maxAmount?: number; // what the invoice has left to attach
}

export type ClaimResult =
  { status: 'attached'; amount: number; succeeded?: boolean } | { status: 'refused'; error: DomainErrorData };

const NO_PAYMENT_METHOD: DomainErrorData = {
  status: 400,
  type: 'invalid_request_error',
  message:
    'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
};

function refused(status: number, message: string, param: string, code?: string): ClaimResult {
  return { status: 'refused', error: { status, type: 'invalid_request_error', message, param, code } };
}

export function createPaymentActivities({ db, faults }: ActivityDeps) {
  return {
    // The payment processor seam. A charge is recorded under its idempotency key before the
    // activity returns, so a retry (or a worker crash after the charge) returns the same
    // outcome instead of charging again.
    async chargeInvoice(input: ChargeInput): Promise<ChargeResult> {
      const previous = await findPaymentByKey(db, input.idempotencyKey);
      if (previous?.outcome) return previous.outcome;
      let paymentMethod = input.paymentMethod ?? input.invoicePaymentMethod;
      if (!paymentMethod) {
        const customer = await findCustomer(db, input.accountId, input.customerId, { includeDeleted: true });
        paymentMethod = customer?.invoiceSettings.defaultPaymentMethod ?? null;
      }
      if (!paymentMethod) return { status: 'refused', error: NO_PAYMENT_METHOD };
      const outcome = (await resolveTestPaymentMethod(db, input.accountId, paymentMethod))?.outcome ?? null;
      if (!outcome) return { status: 'refused', error: unknownPaymentMethod(paymentMethod) };
      const latestCharge = outcome.status === 'requires_action' ? null : newId('ch');
      const charge = chargedPayment(
        {
          id: input.paymentIntentId ?? newId('pi'),
          amount: input.amount,
          currency: input.currency,
          customerId: input.customerId,
          invoiceId: input.invoiceId,
          paymentMethod,
          outcome: withActionToken(outcome),
          metadata: {},
          description: null,
          created: input.now,
        },
        latestCharge,
      );
      // The invoice's own PaymentIntent moves, with its payment_intent.* event; invoices
      // finalized before invoice payments make a PaymentIntent per attempt.
      const payment = input.paymentIntentId
        ? await db.transaction(async (trx) => {
            const made = await recordInvoiceCharge(trx, input.accountId, charge, input.idempotencyKey);
            if (made.inserted) await recordIntentCreated(trx, input.accountId, made.payment);
            if (made.moved) {
              await recordIntentEvents(trx, input.accountId, made.payment, {
                charged: true,
                statusBefore: null,
              });
            }
            return made.payment;
          })
        : await recordPayment(db, input.accountId, charge, input.idempotencyKey);
      await faults?.reach('chargeInvoice:after-charge');
      return payment.outcome ?? outcome;
    },

    // attach_payment: a PaymentIntent becomes one of this invoice's payments, once, if it is
    // the invoice's customer's, in its currency, not canceled, and for no more than the invoice
    // has left. A retry finds it already attached to the same invoice and answers the same.
    async claimPaymentIntent(input: ClaimInput): Promise<ClaimResult> {
      return db.transaction(async (trx) => {
        const row = await findPaymentRow(trx, input.accountId, input.paymentIntentId, { forUpdate: true });
        const payment = row ? fromRow(row) : null;
        const param = 'payment_intent';
        if (!payment) {
          return refused(
            404,
            `No such payment_intent: '${input.paymentIntentId}'`,
            param,
            'resource_missing',
          );
        }
        const succeeded = payment.status === 'succeeded';
        if (payment.invoiceId === input.invoiceId) {
          return { status: 'attached' as const, amount: payment.amount, succeeded };
        }
        if (payment.invoiceId !== null) {
          return refused(400, 'This PaymentIntent is already attached to another invoice.', param);
        }
        if (Number(row?.amount_refunded ?? 0) > 0) {
          // Its money went partly back: it can no longer be what paid an invoice.
          return refused(
            400,
            'This PaymentIntent has been refunded and cannot be attached to an invoice.',
            param,
            'payment_intent_unexpected_state',
          );
        }
        const partial = input.maxAmount !== undefined;
        if (payment.status === 'canceled' || (!partial && !succeeded)) {
          return refused(
            400,
            `This PaymentIntent has a status of ${payment.status} and cannot be attached to an invoice.`,
            param,
            'payment_intent_unexpected_state',
          );
        }
        if (payment.currency !== input.currency) {
          return refused(
            400,
            `The PaymentIntent's currency (${payment.currency}) must match the invoice's currency (${input.currency}).`,
            param,
          );
        }
        if (
          input.customerId !== undefined &&
          payment.customerId !== null &&
          payment.customerId !== input.customerId
        ) {
          return refused(400, "The PaymentIntent's customer must be the invoice's customer.", param);
        }
        if (input.maxAmount !== undefined && payment.amount > input.maxAmount) {
          return refused(
            400,
            `The PaymentIntent's amount (${payment.amount}) is greater than what is left to pay on the invoice (${input.maxAmount}).`,
            param,
            'amount_too_large',
          );
        }
        await assignPaymentToInvoice(trx, payment.id, input.invoiceId);
        return { status: 'attached' as const, amount: payment.amount, succeeded };
      });
    },

    // The steps of an attached PaymentIntent, run by its invoice's workflow, which credits the
    // invoice with what they return in the same workflow step.
    async confirmAttachedPaymentIntent(input: {
      accountId: string;
      invoiceId: string;
      paymentIntentId: string;
      paymentMethod: string | null;
      key: string;
    }): Promise<StepResult> {
      const result = await db.transaction((trx) =>
        confirmPaymentStep(trx, input.accountId, input.paymentIntentId, input),
      );
      await faults?.reach('confirmPaymentIntent:after-charge');
      return result;
    },

    async completeAttachedPaymentAction(input: {
      accountId: string;
      invoiceId: string;
      paymentIntentId: string;
      succeed: boolean;
      key: string;
    }): Promise<StepResult> {
      return db.transaction((trx) => completeActionStep(trx, input.accountId, input.paymentIntentId, input));
    },

    async cancelAttachedPaymentIntent(input: {
      accountId: string;
      invoiceId: string;
      paymentIntentId: string;
      reason: string | null;
      key: string;
      now: number;
    }): Promise<StepResult> {
      return db.transaction((trx) => cancelPaymentStep(trx, input.accountId, input.paymentIntentId, input));
    },

    async captureAttachedPaymentIntent(input: {
      accountId: string;
      invoiceId: string;
      paymentIntentId: string;
      amountToCapture?: number;
      key: string;
    }): Promise<StepResult> {
      return db.transaction((trx) => capturePaymentStep(trx, input.accountId, input.paymentIntentId, input));
    },
  };
}
