// Collecting an open invoice's amount: out of band, or by charging a payment method through the
// payment processor activity, then recording the outcome with the matching pure transition.
import * as invoice from './domain/invoice';
import { cardError, DomainError } from './domain/errors';
import type { IdFactory } from './domain/ids';
import type { TransitionActivities } from './invoice-activities';
import { applyAttachPayment } from './domain/invoice-attach';
import { defaultPaymentOf } from './domain/invoice-payment-records';
import { computeTotals } from './domain/totals';
import type { InvoiceState } from './domain/types';
import { rethrowingDomainErrors as domain, toApplicationFailure } from './domain-failure';
import type { AttachPaymentArgs, Caller, PayInvoiceArgs } from './messages';

interface PaymentContext {
  activities: TransitionActivities;
  commit(result: invoice.TransitionResult, caller: Caller): Promise<InvoiceState>;
  now(): number;
  ids: IdFactory;
}

// One charge per attempt: the key is the invoice's version, which this attempt will move on.
export function chargeRemaining(
  s: InvoiceState,
  paymentMethod: string | null,
  ctx: Pick<PaymentContext, 'activities' | 'now'>,
) {
  const defaultPayment = defaultPaymentOf(s);
  return ctx.activities.chargeInvoice({
    accountId: s.accountId,
    invoiceId: s.id,
    customerId: s.customerId,
    amount: computeTotals(s).amountRemaining,
    currency: s.currency,
    paymentMethod,
    invoicePaymentMethod: s.defaultPaymentMethod,
    ...(defaultPayment ? { paymentIntentId: defaultPayment.paymentIntentId } : {}),
    idempotencyKey: `${s.id}:v${s.version}`,
    now: ctx.now(),
  });
}

export async function collectPayment(
  s: InvoiceState,
  args: PayInvoiceArgs,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  if (args.paidOutOfBand) {
    return ctx.commit(
      domain(() => invoice.payOutOfBand(s, undefined, ctx.now(), ctx.ids)),
      args,
    );
  }
  const amount = computeTotals(s).amountRemaining;
  const charge = await chargeRemaining(s, args.paymentMethod ?? null, ctx);
  if (charge.status === 'refused') throw toApplicationFailure(new DomainError(charge.error));
  if (charge.status === 'succeeded') {
    return ctx.commit(
      domain(() => invoice.paymentSucceeded(s, { amount }, ctx.now(), ctx.ids)),
      args,
    );
  }
  if (charge.status === 'requires_action') {
    await ctx.commit(
      domain(() => invoice.paymentActionRequired(s, {}, ctx.now(), ctx.ids)),
      args,
    );
    throw toApplicationFailure(
      cardError(
        'This payment requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with the invoice.',
        'invoice_payment_intent_requires_action',
      ),
    );
  }
  await ctx.commit(
    domain(() => invoice.paymentFailed(s, { nextPaymentAttempt: null }, ctx.now(), ctx.ids)),
    args,
  );
  throw toApplicationFailure(cardError(charge.message, charge.code, charge.declineCode));
}

// attach_payment: a PaymentIntent that already succeeded elsewhere pays (or overpays) this one.
export async function attachPaymentIntent(
  s: InvoiceState,
  args: AttachPaymentArgs,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  const claim = await ctx.activities.claimPaymentIntent({
    accountId: s.accountId,
    invoiceId: s.id,
    paymentIntentId: args.paymentIntentId,
    currency: s.currency,
  });
  if (claim.status === 'refused') throw toApplicationFailure(new DomainError(claim.error));
  if (claim.status !== 'attached') throw new Error(`unexpected claim outcome ${claim.status}`);
  const intent = { paymentIntentId: args.paymentIntentId, amount: claim.amount, succeeded: true };
  return ctx.commit(
    domain(() => {
      invoice.assertCanRecordPaymentSuccess(s, { amount: claim.amount });
      return applyAttachPayment(s, intent, ctx.now(), ctx.ids);
    }),
    args,
  );
}
