// Collecting an open invoice's amount: out of band, or by charging a payment method through the
// payment processor activity, then recording the outcome with the matching pure transition.
import * as invoice from './domain/invoice';
import { cardError, DomainError } from './domain/errors';
import type { IdFactory } from './domain/ids';
import type { TransitionActivities } from './invoice-activities';
import { applyAttachedIntentCanceled, applyAttachPayment, attachableAmount } from './domain/invoice-attach';
import { defaultPaymentOf } from './domain/invoice-payment-records';
import { computeTotals } from './domain/totals';
import type { InvoiceState } from './domain/types';
import { rethrowingDomainErrors as domain, toApplicationFailure } from './domain-failure';
import type {
  AttachPaymentArgs,
  Caller,
  CancelPaymentIntentArgs,
  CapturePaymentIntentArgs,
  CompletePaymentActionArgs,
  ConfirmPaymentIntentArgs,
  PayInvoiceArgs,
} from './messages';

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

// attach_payment: a PaymentIntent made apart becomes one of the invoice's payments. A succeeded
// one pays at once; any other waits open for its own steps (below) to pay or cancel it.
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
    customerId: s.customerId,
    maxAmount: attachableAmount(s),
  });
  if (claim.status === 'refused') throw toApplicationFailure(new DomainError(claim.error));
  // Claims recorded before partial payments attached succeeded PaymentIntents only.
  const intent = {
    paymentIntentId: args.paymentIntentId,
    amount: claim.amount,
    succeeded: claim.succeeded !== false,
  };
  return ctx.commit(
    domain(() => {
      if (intent.succeeded) invoice.assertCanRecordPaymentSuccess(s, { amount: claim.amount });
      return applyAttachPayment(s, intent, ctx.now(), ctx.ids);
    }),
    args,
  );
}

// Where a step left an attached PaymentIntent decides what its invoice records, in the same
// workflow step: its money (succeeded), its cancellation, or nothing yet (declined, waiting for
// authentication or capture), the version moving on so that the next step has a key of its own.
function settleStep(
  s: InvoiceState,
  step: StepResult,
  args: Caller,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  if (step.status === 'refused') throw toApplicationFailure(new DomainError(step.error));
  const payment = step.payment;
  if (payment.status === 'succeeded') {
    const amount = payment.amountReceived ?? payment.amount;
    return ctx.commit(
      domain(() => invoice.paymentSucceeded(s, { amount, paymentIntentId: payment.id }, ctx.now(), ctx.ids)),
      args,
    );
  }
  if (payment.status === 'canceled') {
    return ctx.commit(applyAttachedIntentCanceled(s, payment.id, ctx.now()), args);
  }
  // The invoice's own PaymentIntent failed its authentication: a failed payment of the invoice.
  if (payment.outcome?.status === 'declined' && defaultPaymentOf(s)?.paymentIntentId === payment.id) {
    return ctx.commit(
      domain(() =>
        invoice.paymentFailed(s, { nextPaymentAttempt: s.nextPaymentAttempt }, ctx.now(), ctx.ids),
      ),
      args,
    );
  }
  return ctx.commit(invoice.result(invoice.advance(s, {}), []), args);
}

type StepResult = Awaited<ReturnType<TransitionActivities['confirmAttachedPaymentIntent']>>;

const stepKey = (s: InvoiceState, pi: string, step: string) => `${pi}:${step}:${s.id}:v${s.version}`;

export async function confirmAttachedIntent(
  s: InvoiceState,
  args: ConfirmPaymentIntentArgs,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  const step = await ctx.activities.confirmAttachedPaymentIntent({
    accountId: s.accountId,
    invoiceId: s.id,
    paymentIntentId: args.paymentIntentId,
    paymentMethod: args.paymentMethod ?? null,
    key: stepKey(s, args.paymentIntentId, 'confirm'),
  });
  return settleStep(s, step, args, ctx);
}

export async function completeAttachedAction(
  s: InvoiceState,
  args: CompletePaymentActionArgs,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  const step = await ctx.activities.completeAttachedPaymentAction({
    accountId: s.accountId,
    invoiceId: s.id,
    paymentIntentId: args.paymentIntentId,
    succeed: args.succeed,
    key: stepKey(s, args.paymentIntentId, 'action'),
  });
  return settleStep(s, step, args, ctx);
}

export async function cancelAttachedIntent(
  s: InvoiceState,
  args: CancelPaymentIntentArgs,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  const step = await ctx.activities.cancelAttachedPaymentIntent({
    accountId: s.accountId,
    invoiceId: s.id,
    paymentIntentId: args.paymentIntentId,
    reason: args.cancellationReason ?? null,
    key: stepKey(s, args.paymentIntentId, 'cancel'),
    now: ctx.now(),
  });
  return settleStep(s, step, args, ctx);
}

export async function captureAttachedIntent(
  s: InvoiceState,
  args: CapturePaymentIntentArgs,
  ctx: PaymentContext,
): Promise<InvoiceState> {
  const step = await ctx.activities.captureAttachedPaymentIntent({
    accountId: s.accountId,
    invoiceId: s.id,
    paymentIntentId: args.paymentIntentId,
    amountToCapture: args.amountToCapture,
    key: stepKey(s, args.paymentIntentId, 'capture'),
  });
  return settleStep(s, step, args, ctx);
}
