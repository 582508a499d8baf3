// payment_intent.* events, written in the transaction that moves the PaymentIntent's row (the
// outbox): created when a row is first inserted, then one per step that changes its status.
import type { Knex } from 'knex';
import type { PaymentIntentStatus } from '../../workflows/domain/payment-intent';
import type { PaymentRecord } from '../../workflows/domain/render/payment-intent';
import { renderPaymentIntent } from '../../workflows/domain/render/payment-intent';
import { newId } from '../random-ids';
import { insertEvents } from './invoices';

const EVENT_OF: Partial<Record<PaymentIntentStatus, string>> = {
  succeeded: 'payment_intent.succeeded',
  canceled: 'payment_intent.canceled',
  requires_action: 'payment_intent.requires_action',
  requires_capture: 'payment_intent.amount_capturable_updated',
};

async function insertIntentEvent(
  trx: Knex.Transaction,
  accountId: string,
  type: string,
  payment: PaymentRecord,
): Promise<void> {
  const event = { id: newId('evt'), type, created: Math.floor(Date.now() / 1000) };
  await insertEvents(
    trx,
    accountId,
    payment.id,
    [event],
    renderPaymentIntent(payment) as unknown as Record<string, unknown>,
  );
}

// The PaymentIntent as it was made, before any charge: a row inserted already charged (an
// invoice's attempt that made its own PaymentIntent) still announces its creation first, as
// Stripe's payment_intent.created precedes the outcome's event.
export function asCreated(payment: PaymentRecord): PaymentRecord {
  if (payment.outcome === null) return payment;
  return {
    ...payment,
    outcome: null,
    status: payment.paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    latestCharge: null,
    amountReceived: null,
  };
}

// payment_intent.created, once: callers write it only with the insert that made the row.
export async function recordIntentCreated(
  trx: Knex.Transaction,
  accountId: string,
  payment: PaymentRecord,
): Promise<void> {
  await insertIntentEvent(trx, accountId, 'payment_intent.created', asCreated(payment));
}

// The event of a step: a charge's outcome (a decline is payment_failed), or the status it moved to.
export async function recordIntentEvents(
  trx: Knex.Transaction,
  accountId: string,
  after: PaymentRecord,
  step: { charged: boolean; statusBefore: PaymentIntentStatus | null },
): Promise<void> {
  let type: string | undefined;
  if (step.charged && after.outcome?.status === 'declined') type = 'payment_intent.payment_failed';
  else if (step.charged || step.statusBefore !== after.status) type = EVENT_OF[after.status];
  if (type) await insertIntentEvent(trx, accountId, type, after);
}
