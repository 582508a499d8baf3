// Due-date reminders (invoice.will_be_due, invoice.overdue) worked out ahead of the invoice's
// workflow: a test clock advance writes the reminders of all its invoices in bulk, from their
// stored state and the settings their workflow runs with, before it wakes the workflows. Each
// workflow then reaches the same reminders on its own; the key below makes its copy of an event
// already written a no-op, so a reminder is written once whichever path gets there first.
import type { CollectionSettings } from './collection-settings';
import type { IdFactory } from './ids';
import { applyReminder } from './invoice-automation';
import { nextDeadline } from './schedule';
import type { DomainEvent, InvoiceState } from './types';

export interface DueReminder {
  // The invoice as the workflow will hold it once it has sent this reminder: the event's object.
  state: InvoiceState;
  event: DomainEvent;
}

const REMINDER_TYPES = new Set(['invoice.will_be_due', 'invoice.overdue']);

// One reminder of one due date, whoever writes it.
export function reminderEventKey(state: Pick<InvoiceState, 'id' | 'dueDate'>, type: string): string | null {
  if (!REMINDER_TYPES.has(type) || state.dueDate === null) return null;
  return `${state.id}:${type}:${state.dueDate}`;
}

// The reminders the invoice's workflow will send, in order, when its time reaches `horizon`:
// its deadlines up to then, as long as each is a reminder. It stops at any other deadline (a
// finalization or a payment attempt), whose outcome only the workflow can decide and which may
// change what follows.
export function remindersDue(
  state: InvoiceState,
  settings: CollectionSettings,
  horizon: number,
  ids: IdFactory,
): DueReminder[] {
  const due: DueReminder[] = [];
  let current = state;
  for (;;) {
    const deadline = nextDeadline(current, settings);
    if (!deadline || deadline.at > horizon) return due;
    if (deadline.action !== 'will_be_due' && deadline.action !== 'overdue') return due;
    const reminded = applyReminder(current, deadline.action, deadline.at, ids);
    current = reminded.state;
    due.push({ state: current, event: reminded.events[0] });
  }
}
