import { DEFAULT_COLLECTION_SETTINGS, withDefaults } from '../../../workflows/domain/collection-settings';
import { applyReminder } from '../../../workflows/domain/invoice-automation';
import { reminderEventKey, remindersDue } from '../../../workflows/domain/reminders';
import { nextDeadline, ONE_DAY } from '../../../workflows/domain/schedule';
import type { InvoiceState } from '../../../workflows/domain/types';
import { draftInvoice, NOW, openInvoice, paidInvoice, sequentialIds, voidedInvoice } from './support';

const settings = DEFAULT_COLLECTION_SETTINGS;
const due = NOW + 30 * ONE_DAY;
const willBeDueAt = due - 7 * ONE_DAY;
const overdueAt = due + ONE_DAY;

function sendInvoice(overrides: Partial<InvoiceState> = {}): InvoiceState {
  return {
    ...openInvoice({ collectionMethod: 'send_invoice', daysUntilDue: 30 }),
    dueDate: due,
    ...overrides,
  };
}

// What the workflow's deadline loop does: act on each deadline up to the horizon, in order.
function workflowReminders(state: InvoiceState, horizon: number) {
  const events = [];
  let current = state;
  for (let deadline = nextDeadline(current, settings); deadline && deadline.at <= horizon;) {
    if (deadline.action !== 'will_be_due' && deadline.action !== 'overdue') break;
    const reminded = applyReminder(current, deadline.action, deadline.at, sequentialIds());
    current = reminded.state;
    events.push(...reminded.events);
    deadline = nextDeadline(current, settings);
  }
  return { state: current, events };
}

describe('remindersDue', () => {
  it('has nothing before the first reminder', () => {
    expect(remindersDue(sendInvoice(), settings, willBeDueAt - 1, sequentialIds())).toEqual([]);
  });

  it('sends invoice.will_be_due at its deadline, with the invoice as it is then', () => {
    const due1 = remindersDue(sendInvoice(), settings, willBeDueAt, sequentialIds());
    expect(due1.map((r) => [r.event.type, r.event.created])).toEqual([['invoice.will_be_due', willBeDueAt]]);
    expect(due1[0].state.remindersSent).toEqual({ willBeDue: due, overdue: null });
  });

  it('sends both reminders in order when the horizon passes both', () => {
    const both = remindersDue(sendInvoice(), settings, overdueAt + ONE_DAY, sequentialIds());
    expect(both.map((r) => [r.event.type, r.event.created])).toEqual([
      ['invoice.will_be_due', willBeDueAt],
      ['invoice.overdue', overdueAt],
    ]);
    expect(both[1].state.version).toBe(both[0].state.version + 1);
  });

  it('ends with the state and events the workflow reaches by itself', () => {
    for (const horizon of [willBeDueAt, overdueAt, overdueAt + 90 * ONE_DAY]) {
      const bulk = remindersDue(sendInvoice(), settings, horizon, sequentialIds());
      const alone = workflowReminders(sendInvoice(), horizon);
      expect(bulk.at(-1)?.state).toEqual(alone.state);
      expect(bulk.map((r) => [r.event.type, r.event.created])).toEqual(
        alone.events.map((e) => [e.type, e.created]),
      );
    }
  });

  it('skips a reminder already sent for this due date', () => {
    const reminded = sendInvoice({ remindersSent: { willBeDue: due, overdue: null } });
    expect(remindersDue(reminded, settings, overdueAt, sequentialIds()).map((r) => r.event.type)).toEqual([
      'invoice.overdue',
    ]);
  });

  it("follows the workflow's settings", () => {
    const threeDays = withDefaults({ willBeDueDays: 3, overdueDays: null });
    const due3 = remindersDue(sendInvoice(), threeDays, overdueAt + 90 * ONE_DAY, sequentialIds());
    expect(due3.map((r) => [r.event.type, r.event.created])).toEqual([
      ['invoice.will_be_due', due - 3 * ONE_DAY],
    ]);
  });

  it('stops at a deadline that is not a reminder', () => {
    const charging = {
      ...openInvoice({ autoAdvance: true }),
      nextPaymentAttempt: NOW + ONE_DAY,
    };
    expect(remindersDue(charging, settings, NOW + 90 * ONE_DAY, sequentialIds())).toEqual([]);
    const draft = { ...draftInvoice({ autoAdvance: true }), automaticallyFinalizesAt: NOW + 3600 };
    expect(remindersDue(draft, settings, NOW + 90 * ONE_DAY, sequentialIds())).toEqual([]);
  });

  it('has nothing for paid, void or deleted invoices', () => {
    for (const state of [paidInvoice(), voidedInvoice(), sendInvoice({ deleted: true })]) {
      expect(remindersDue(state, settings, NOW + 400 * ONE_DAY, sequentialIds())).toEqual([]);
    }
  });
});

describe('reminderEventKey', () => {
  it('names one reminder of one due date', () => {
    const state = sendInvoice();
    expect(reminderEventKey(state, 'invoice.will_be_due')).toBe(`${state.id}:invoice.will_be_due:${due}`);
    expect(reminderEventKey(state, 'invoice.overdue')).not.toBe(
      reminderEventKey(state, 'invoice.will_be_due'),
    );
    expect(reminderEventKey({ ...state, dueDate: due + ONE_DAY }, 'invoice.overdue')).not.toBe(
      reminderEventKey(state, 'invoice.overdue'),
    );
  });

  it('is null for every other event, and without a due date', () => {
    expect(reminderEventKey(sendInvoice(), 'invoice.paid')).toBeNull();
    expect(reminderEventKey(sendInvoice({ dueDate: null }), 'invoice.overdue')).toBeNull();
  });
});
