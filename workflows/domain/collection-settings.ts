// An account's automatic-collection settings (an extension of ours: Stripe keeps these in its
// Dashboard). Defaults follow Stripe's.
export type FinalAction = 'leave_open' | 'mark_uncollectible' | 'void';

export interface CollectionSettings {
  finalizationDelaySeconds: number; // after the last successful webhook delivery (or creation)
  finalizationMaxDelaySeconds: number; // never later than this after creation
  paymentRetryDays: number[]; // days after each failed automatic attempt before the next
  finalAction: FinalAction; // after the last retry fails
  willBeDueDays: number | null; // invoice.will_be_due this many days before due_date
  overdueDays: number | null; // invoice.overdue this many days after due_date
  upcomingDays: number; // invoice.upcoming this many days before a subscription renews
}

export const DEFAULT_COLLECTION_SETTINGS: CollectionSettings = {
  finalizationDelaySeconds: 3600,
  finalizationMaxDelaySeconds: 72 * 3600,
  // Stripe's default custom schedule: retries 3, 5 and 7 days apart (then the final action).
  paymentRetryDays: [3, 5, 7],
  finalAction: 'leave_open',
  willBeDueDays: 7,
  overdueDays: 1,
  upcomingDays: 7,
};

export function withDefaults(stored: Partial<CollectionSettings> | null | undefined): CollectionSettings {
  return { ...DEFAULT_COLLECTION_SETTINGS, ...(stored ?? {}) };
}
