// Transitions the invoice's own clock causes (no API call behind them): the finalization plan
// moving with webhook deliveries, and the due-date reminders.
import type { IdFactory } from './ids';
import { advance, event, result, type TransitionResult } from './invoice-transition';
import type { InvoiceState } from './types';

export function applyWebhooksDelivered(
  state: InvoiceState,
  at: number,
  plannedFinalization: number | null,
): TransitionResult {
  const next = advance(state, {
    webhooksDeliveredAt: Math.max(at, state.webhooksDeliveredAt ?? 0),
    automaticallyFinalizesAt:
      state.status === 'draft' && state.autoAdvance ? plannedFinalization : state.automaticallyFinalizesAt,
  });
  return result(next, []);
}

// The plan shown as automatically_finalizes_at, kept current without an event.
export function applyFinalizationPlan(state: InvoiceState, at: number | null): TransitionResult {
  return result(advance(state, { automaticallyFinalizesAt: at }), []);
}

export function applyReminder(
  state: InvoiceState,
  kind: 'will_be_due' | 'overdue',
  now: number,
  ids: IdFactory,
): TransitionResult {
  const sent = state.remindersSent ?? { willBeDue: null, overdue: null };
  const remindersSent =
    kind === 'will_be_due' ? { ...sent, willBeDue: state.dueDate } : { ...sent, overdue: state.dueDate };
  return result(advance(state, { remindersSent }), [event(ids, now, `invoice.${kind}`)]);
}
