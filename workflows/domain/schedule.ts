// What happens next to an invoice, and when: the single source of every deadline the invoice
// workflow waits for. Pure: (invoice, settings) → the earliest deadline.
import type { CollectionSettings } from './collection-settings';
import { invalidRequest } from './errors';
import type { InvoiceState } from './types';

export const ONE_DAY = 86_400;

export type DeadlineAction = 'finalize' | 'retry_payment' | 'will_be_due' | 'overdue';

export interface Deadline {
  at: number;
  action: DeadlineAction;
}

// When an auto_advance draft finalizes: a caller's explicit time wins; otherwise one delay
// after the last successful webhook delivery, or after creation when the account has no
// endpoint to deliver to — and never later than the cap after creation.
export function plannedFinalization(
  state: Pick<InvoiceState, 'created' | 'webhooksDeliveredAt' | 'automaticallyFinalizesAt'> & {
    automaticFinalizationExplicit?: boolean;
  },
  settings: CollectionSettings,
  awaitingWebhooks: boolean,
): number {
  if (state.automaticFinalizationExplicit && state.automaticallyFinalizesAt !== null) {
    return state.automaticallyFinalizesAt;
  }
  const cap = state.created + settings.finalizationMaxDelaySeconds;
  if (state.webhooksDeliveredAt !== null) {
    return Math.min(state.webhooksDeliveredAt + settings.finalizationDelaySeconds, cap);
  }
  return awaitingWebhooks ? cap : Math.min(state.created + settings.finalizationDelaySeconds, cap);
}

// The next automatic attempt after `failedAttempts` automatic attempts have failed, or null
// when the schedule is exhausted (the final action is then due).
export function nextRetryAt(
  failedAttempts: number,
  settings: CollectionSettings,
  now: number,
): number | null {
  const days = settings.paymentRetryDays[failedAttempts - 1];
  return days === undefined ? null : now + days * ONE_DAY;
}

function reminderDeadlines(state: InvoiceState, settings: CollectionSettings): Deadline[] {
  if (state.collectionMethod !== 'send_invoice' || state.dueDate === null) return [];
  const sent = state.remindersSent ?? { willBeDue: null, overdue: null };
  const deadlines: Deadline[] = [];
  const finalizedAt = state.statusTransitions.finalizedAt ?? state.created;
  if (settings.willBeDueDays !== null && sent.willBeDue !== state.dueDate) {
    const at = state.dueDate - settings.willBeDueDays * ONE_DAY;
    // A due date already closer than the reminder window at finalization gets no reminder.
    if (at >= finalizedAt) deadlines.push({ at, action: 'will_be_due' });
  }
  if (settings.overdueDays !== null && sent.overdue !== state.dueDate) {
    deadlines.push({ at: state.dueDate + settings.overdueDays * ONE_DAY, action: 'overdue' });
  }
  return deadlines;
}

export function nextDeadline(state: InvoiceState, settings: CollectionSettings): Deadline | null {
  if (state.deleted) return null;
  const candidates: Deadline[] = [];
  if (state.status === 'draft') {
    if (state.autoAdvance && state.automaticallyFinalizesAt !== null) {
      candidates.push({ at: state.automaticallyFinalizesAt, action: 'finalize' });
    }
  } else if (state.status === 'open') {
    if (
      state.collectionMethod === 'charge_automatically' &&
      state.autoAdvance &&
      state.nextPaymentAttempt !== null
    ) {
      candidates.push({ at: state.nextPaymentAttempt, action: 'retry_payment' });
    }
    candidates.push(...reminderDeadlines(state, settings));
  }
  return candidates.reduce<Deadline | null>(
    (earliest, d) => (earliest === null || d.at < earliest.at ? d : earliest),
    null,
  );
}

const FIVE_YEARS = 5 * 365 * ONE_DAY;

// A caller-scheduled finalization must lie ahead, and at most five years ahead (Stripe's rule).
export function assertFinalizationTime(at: number | undefined, now: number): void {
  if (at === undefined) return;
  if (at <= now || at > now + FIVE_YEARS) {
    throw invalidRequest(
      'automatically_finalizes_at must be in the future and at most five years ahead.',
      undefined,
      'automatically_finalizes_at',
    );
  }
}
