import type { ActivityDeps } from '.';
import { findCustomer } from '../db/repositories/customers';
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

export function createPaymentActivities({ db }: ActivityDeps) {
  return {
    // The payment processor seam. A charge is recorded under its idempotency key before the
    // activity returns, so a retry (or a worker crash after the charge) returns the same
    // outcome instead of charging again.
    async chargeInvoice(input: ChargeInput): Promise<ChargeResult> {
      const previous = (await db('payments')
        .where({ idempotency_key: input.idempotencyKey })
        .first('outcome')) as { outcome: ChargeOutcome } | undefined;
      if (previous) return previous.outcome;
      let paymentMethod = input.paymentMethod ?? input.invoicePaymentMethod;
      if (!paymentMethod) {
        const customer = await findCustomer(db, input.accountId, input.customerId, { includeDeleted: true });
        paymentMethod = customer?.invoiceSettings.defaultPaymentMethod ?? null;
      }
      if (!paymentMethod) return { status: 'refused', error: NO_PAYMENT_METHOD };
      const outcome = simulateCharge(paymentMethod);
      if (!outcome) {
        return {
          status: 'refused',
          error: {
            status: 404,
            type: 'invalid_request_error',
            code: 'resource_missing',
            message: `No such PaymentMethod: '${paymentMethod}'`,
            param: 'payment_method',
          },
        };
      }
      const inserted = await db('payments')
        .insert({
          id: newId('pi'),
          account_id: input.accountId,
          customer_id: input.customerId,
          invoice_id: input.invoiceId,
          amount: input.amount,
          currency: input.currency,
          payment_method: paymentMethod,
          status: outcome.status,
          outcome: JSON.stringify(outcome),
          idempotency_key: input.idempotencyKey,
          created: input.now,
        })
        .onConflict('idempotency_key')
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        // A concurrent attempt with the same key won the race: its outcome is the outcome.
        const winner = (await db('payments')
          .where({ idempotency_key: input.idempotencyKey })
          .first('outcome')) as {
          outcome: ChargeOutcome;
        };
        return winner.outcome;
      }
      return outcome;
    },
  };
}
