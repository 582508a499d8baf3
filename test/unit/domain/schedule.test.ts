import fc from 'fast-check';
import { DEFAULT_COLLECTION_SETTINGS, withDefaults } from '../../../workflows/domain/collection-settings';
import { applyReminder, applyWebhooksDelivered } from '../../../workflows/domain/invoice-automation';
import {
  assertFinalizationTime,
  nextDeadline,
  nextRetryAt,
  ONE_DAY,
  plannedFinalization,
} from '../../../workflows/domain/schedule';
import type { InvoiceState } from '../../../workflows/domain/types';
import { draftInvoice, NOW, openInvoice, paidInvoice, sequentialIds, voidedInvoice } from './support';

const settings = DEFAULT_COLLECTION_SETTINGS;
const HOUR = 3600;

function draft(overrides: Partial<InvoiceState> = {}): InvoiceState {
  return { ...draftInvoice({ autoAdvance: true }), ...overrides };
}

describe('plannedFinalization', () => {
  it('is one hour after creation when no webhook is awaited', () => {
    expect(plannedFinalization(draft(), settings, false)).toBe(NOW + HOUR);
  });

  it('waits up to 72 hours for webhooks that have not been delivered', () => {
    expect(plannedFinalization(draft(), settings, true)).toBe(NOW + 72 * HOUR);
  });

  it('is one hour after the last successful delivery', () => {
    expect(plannedFinalization(draft({ webhooksDeliveredAt: NOW + 600 }), settings, true)).toBe(
      NOW + 600 + HOUR,
    );
  });

  it('never goes past the 72-hour cap, however late the delivery', () => {
    expect(plannedFinalization(draft({ webhooksDeliveredAt: NOW + 80 * HOUR }), settings, true)).toBe(
      NOW + 72 * HOUR,
    );
  });

  it("keeps a caller's explicit time whatever the webhooks do", () => {
    const explicit = draft({
      automaticallyFinalizesAt: NOW + 5 * ONE_DAY,
      automaticFinalizationExplicit: true,
    });
    expect(plannedFinalization({ ...explicit, webhooksDeliveredAt: NOW + 60 }, settings, true)).toBe(
      NOW + 5 * ONE_DAY,
    );
  });

  it('follows the configured delay', () => {
    expect(plannedFinalization(draft(), withDefaults({ finalizationDelaySeconds: 5 }), false)).toBe(NOW + 5);
  });

  it('is never before creation nor after the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 200 * HOUR })),
        fc.integer({ min: 0, max: 72 * HOUR }),
        fc.boolean(),
        (deliveredAfter, delay, awaiting) => {
          const s = withDefaults({ finalizationDelaySeconds: delay });
          const at = plannedFinalization(
            draft({ webhooksDeliveredAt: deliveredAfter === null ? null : NOW + deliveredAfter }),
            s,
            awaiting,
          );
          return at >= NOW && at <= NOW + s.finalizationMaxDelaySeconds;
        },
      ),
    );
  });
});

describe('nextRetryAt', () => {
  it('follows the retry schedule, then stops', () => {
    expect(nextRetryAt(1, settings, NOW)).toBe(NOW + 3 * ONE_DAY);
    expect(nextRetryAt(2, settings, NOW)).toBe(NOW + 5 * ONE_DAY);
    expect(nextRetryAt(3, settings, NOW)).toBe(NOW + 7 * ONE_DAY);
    expect(nextRetryAt(4, settings, NOW)).toBeNull();
  });

  it('stops at once with an empty schedule', () => {
    expect(nextRetryAt(1, withDefaults({ paymentRetryDays: [] }), NOW)).toBeNull();
  });
});

describe('nextDeadline', () => {
  it('finalizes an auto_advance draft at its planned time', () => {
    expect(nextDeadline(draft({ automaticallyFinalizesAt: NOW + HOUR }), settings)).toEqual({
      at: NOW + HOUR,
      action: 'finalize',
    });
  });

  it('has nothing planned for a draft without auto_advance', () => {
    expect(nextDeadline(draftInvoice(), settings)).toBeNull();
  });

  it('retries an open charge_automatically invoice with auto_advance', () => {
    const open = { ...openInvoice({ autoAdvance: true }), nextPaymentAttempt: NOW + ONE_DAY };
    expect(nextDeadline(open, settings)).toEqual({ at: NOW + ONE_DAY, action: 'retry_payment' });
  });

  it('does not collect automatically without auto_advance', () => {
    const open = { ...openInvoice({ autoAdvance: false }), nextPaymentAttempt: NOW + ONE_DAY };
    expect(nextDeadline(open, settings)).toBeNull();
  });

  describe('for a send_invoice invoice due in 30 days', () => {
    const due = NOW + 30 * ONE_DAY;
    const open = (): InvoiceState => ({
      ...openInvoice({ collectionMethod: 'send_invoice', daysUntilDue: 30 }),
      dueDate: due,
    });

    it('reminds X days before the due date first', () => {
      expect(nextDeadline(open(), settings)).toEqual({ at: due - 7 * ONE_DAY, action: 'will_be_due' });
    });

    it('then reports it overdue X days after', () => {
      const reminded = applyReminder(open(), 'will_be_due', due - 7 * ONE_DAY, sequentialIds()).state;
      expect(nextDeadline(reminded, settings)).toEqual({ at: due + ONE_DAY, action: 'overdue' });
      const overdue = applyReminder(reminded, 'overdue', due + ONE_DAY, sequentialIds());
      expect(overdue.events.map((event) => event.type)).toEqual(['invoice.overdue']);
      expect(nextDeadline(overdue.state, settings)).toBeNull();
    });

    it('re-arms the reminders when the due date moves', () => {
      const reminded = applyReminder(open(), 'will_be_due', due - 7 * ONE_DAY, sequentialIds()).state;
      expect(nextDeadline({ ...reminded, dueDate: due + 10 * ONE_DAY }, settings)?.action).toBe(
        'will_be_due',
      );
    });

    it('sends no reminder when turned off', () => {
      expect(nextDeadline(open(), withDefaults({ willBeDueDays: null, overdueDays: null }))).toBeNull();
    });
  });

  it('has nothing planned for paid or void invoices', () => {
    expect(nextDeadline(paidInvoice(), settings)).toBeNull();
    expect(nextDeadline(voidedInvoice(), settings)).toBeNull();
  });
});

describe('applyWebhooksDelivered', () => {
  it('records the delivery and moves the plan, without an event', () => {
    const before = draft({ automaticallyFinalizesAt: NOW + 72 * HOUR });
    const after = applyWebhooksDelivered(before, NOW + 60, NOW + 60 + HOUR);
    expect(after.state).toMatchObject({
      webhooksDeliveredAt: NOW + 60,
      automaticallyFinalizesAt: NOW + 60 + HOUR,
    });
    expect(after.state.version).toBe(before.version + 1);
    expect(after.events).toEqual([]);
  });

  it("leaves an open invoice's plan alone", () => {
    const open = openInvoice();
    expect(applyWebhooksDelivered(open, NOW, NOW + HOUR).state.automaticallyFinalizesAt).toBe(
      open.automaticallyFinalizesAt,
    );
  });
});

describe('assertFinalizationTime', () => {
  it('accepts a time ahead, up to five years', () => {
    expect(() => assertFinalizationTime(NOW + 60, NOW)).not.toThrow();
    expect(() => assertFinalizationTime(NOW + 5 * 365 * ONE_DAY, NOW)).not.toThrow();
    expect(() => assertFinalizationTime(undefined, NOW)).not.toThrow();
  });

  it('refuses the past, the present and beyond five years, naming the parameter', () => {
    for (const at of [NOW - 1, NOW, NOW + 5 * 365 * ONE_DAY + 1]) {
      expect(() => assertFinalizationTime(at, NOW)).toThrow(
        expect.objectContaining({ data: expect.objectContaining({ param: 'automatically_finalizes_at' }) }),
      );
    }
  });
});
