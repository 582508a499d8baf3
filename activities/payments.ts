import type { ActivityDeps } from '.';
import { findCustomer } from '../db/repositories/customers';
import {
  assignPaymentToInvoice,
  findPayment,
  findPaymentByKey,
  recordInvoiceCharge,
  recordPayment,
} from '../db/repositories/payments';
import { newId } from '../db/random-ids';
import type { DomainErrorData } from '../workflows/domain/errors';
import { simulateCharge, type ChargeOutcome } from '../workflows/domain/payment-methods';

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

const NO_PAYMENT_METHOD: DomainErrorData = {
  status: 400,
  type: 'invalid_request_error',
  message:
    'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
};

export function unknownPaymentMethod(id: string): DomainErrorData {
  return {
    status: 404,
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such PaymentMethod: '${id}'`,
    param: 'payment_method',
  };
}

function refused(status: number, message: string, param: string, code?: string): ChargeResult {
  return { status: 'refused', error: { status, type: 'invalid_request_error', message, param, code } };
}

export function createPaymentActivities({ db, faults }: ActivityDeps) {
  return {
    // The payment processor seam. A charge is recorded under its idempotency key before the
    // activity returns, so a retry (or a worker crash after the charge) returns the same
    // outcome instead of charging again.
    async chargeInvoice(input: ChargeInput): Promise<ChargeResult> {
      const previous = await findPaymentByKey(db, input.idempotencyKey);
      if (previous) return previous.outcome;
      let paymentMethod = input.paymentMethod ?? input.invoicePaymentMethod;
      if (!paymentMethod) {
        const customer = await findCustomer(db, input.accountId, input.customerId, { includeDeleted: true });
        paymentMethod = customer?.invoiceSettings.defaultPaymentMethod ?? null;
      }
      if (!paymentMethod) return { status: 'refused', error: NO_PAYMENT_METHOD };
      const outcome = simulateCharge(paymentMethod);
      if (!outcome) return { status: 'refused', error: unknownPaymentMethod(paymentMethod) };
      const record = input.paymentIntentId ? recordInvoiceCharge : recordPayment;
      const payment = await record(
        db,
        input.accountId,
        {
          id: input.paymentIntentId ?? newId('pi'),
          amount: input.amount,
          currency: input.currency,
          customerId: input.customerId,
          invoiceId: input.invoiceId,
          paymentMethod,
          outcome,
          metadata: {},
          description: null,
          created: input.now,
        },
        input.idempotencyKey,
      );
      await faults?.reach('chargeInvoice:after-charge');
      return payment.outcome;
    },

    // attach_payment: a succeeded PaymentIntent becomes this invoice's payment, once. A retry
    // finds it already attached to the same invoice and answers the same.
    async claimPaymentIntent(input: {
      accountId: string;
      invoiceId: string;
      paymentIntentId: string;
      currency: string;
    }): Promise<{ status: 'attached'; amount: number } | ChargeResult> {
      return db.transaction(async (trx) => {
        const payment = await findPayment(trx, input.accountId, input.paymentIntentId, { forUpdate: true });
        const param = 'payment_intent';
        if (!payment) {
          return refused(
            404,
            `No such payment_intent: '${input.paymentIntentId}'`,
            param,
            'resource_missing',
          );
        }
        if (payment.invoiceId !== null && payment.invoiceId !== input.invoiceId) {
          return refused(400, 'This PaymentIntent is already attached to another invoice.', param);
        }
        if (payment.outcome.status !== 'succeeded') {
          return refused(400, 'Only a succeeded PaymentIntent can be attached to an invoice.', param);
        }
        if (payment.currency !== input.currency) {
          return refused(
            400,
            `The PaymentIntent's currency (${payment.currency}) is not the invoice's.`,
            param,
          );
        }
        await assignPaymentToInvoice(trx, payment.id, input.invoiceId);
        return { status: 'attached' as const, amount: payment.amount };
      });
    },
  };
}
