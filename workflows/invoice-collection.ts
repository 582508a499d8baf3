// What the invoice workflow does by itself when a deadline comes: finalize a draft, attempt a
// payment (then schedule the retry or take the final action), send due-date reminders.
import type { CollectionSettings } from './domain/collection-settings';
import type { IdFactory } from './domain/ids';
import type { TransitionActivities } from './invoice-activities';
import * as invoice from './domain/invoice';
import { applyReminder } from './domain/invoice-automation';
import { nextRetryAt, type Deadline } from './domain/schedule';
import { computeTotals } from './domain/totals';
import type { InvoiceState } from './domain/types';
import type { Caller } from './messages';
import { chargeRemaining } from './invoice-payment';

export interface CollectionContext {
  activities: TransitionActivities;
  commit(result: invoice.TransitionResult, caller: Caller): Promise<InvoiceState>;
  finalize(from: InvoiceState): Promise<InvoiceState>;
  now(): number;
  ids: IdFactory;
  settings: CollectionSettings;
  system: Caller; // automatic changes have no request behind them
}

export async function actOnDeadline(
  s: InvoiceState,
  deadline: Deadline,
  ctx: CollectionContext,
): Promise<InvoiceState> {
  switch (deadline.action) {
    case 'finalize':
      return autoFinalize(s, ctx);
    case 'retry_payment':
      return attemptPayment(s, ctx);
    case 'will_be_due':
    case 'overdue':
      return ctx.commit(applyReminder(s, deadline.action, ctx.now(), ctx.ids), ctx.system);
  }
}

async function autoFinalize(s: InvoiceState, ctx: CollectionContext): Promise<InvoiceState> {
  try {
    invoice.assertCanFinalize(s);
  } catch (refusal) {
    // A draft that cannot be finalized records why and stops advancing by itself.
    const message = refusal instanceof Error ? refusal.message : String(refusal);
    const failed = invoice.finalizationFailed(
      s,
      { error: { type: 'invalid_request_error', code: null, message } },
      ctx.now(),
      ctx.ids,
    );
    return ctx.commit(
      invoice.applyUpdate(failed.state, { autoAdvance: false }, ctx.now(), ctx.ids),
      ctx.system,
    );
  }
  const finalized = await ctx.finalize(s);
  // send_invoice invoices are emailed at finalization (invoice.sent).
  if (finalized.status === 'open' && finalized.collectionMethod === 'send_invoice') {
    return ctx.commit(invoice.send(finalized, undefined, ctx.now(), ctx.ids), ctx.system);
  }
  return finalized;
}

async function attemptPayment(s: InvoiceState, ctx: CollectionContext): Promise<InvoiceState> {
  const amount = computeTotals(s).amountRemaining;
  const charge = await chargeRemaining(s, null, ctx);
  if (charge.status === 'succeeded') {
    return ctx.commit(
      invoice.paymentSucceeded(s, { amount, automatic: true }, ctx.now(), ctx.ids),
      ctx.system,
    );
  }
  // Every automatic attempt counts; a payment needing the customer's action is a failed
  // attempt too (nobody is there to authenticate it), with its own event.
  const retryAt = nextRetryAt(s.attemptCount + 1, ctx.settings, ctx.now());
  const failed = invoice.paymentFailed(
    s,
    { nextPaymentAttempt: retryAt, automatic: true },
    ctx.now(),
    ctx.ids,
  );
  if (charge.status === 'requires_action') {
    failed.events.unshift(invoice.event(ctx.ids, ctx.now(), 'invoice.payment_action_required'));
  }
  const afterFailure = await ctx.commit(failed, ctx.system);
  if (retryAt !== null) return afterFailure;
  return takeFinalAction(afterFailure, ctx);
}

// After the last retry: what the account chose (Stripe's "if all retries fail" setting).
async function takeFinalAction(s: InvoiceState, ctx: CollectionContext): Promise<InvoiceState> {
  if (ctx.settings.finalAction === 'mark_uncollectible') {
    return ctx.commit(invoice.markUncollectible(s, undefined, ctx.now(), ctx.ids), ctx.system);
  }
  if (ctx.settings.finalAction === 'void') {
    return ctx.commit(invoice.voidInvoice(s, undefined, ctx.now(), ctx.ids), ctx.system);
  }
  return s;
}
