// Preconditions shared by several transitions.
import { refusals } from './invoice-errors';
import type { InvoiceState } from './types';

// A deleted draft is gone: every command answers as if it never existed (Stripe: 404).
export function assertUsable(state: InvoiceState): void {
  if (state.deleted) throw refusals.invoiceMissing(state.id);
}

// Payment outcomes land on open invoices, and on uncollectible ones (they can still be paid).
export function assertCollectible(state: InvoiceState): void {
  assertUsable(state);
  if (state.status === 'paid') throw refusals.alreadyPaid();
  if (state.status !== 'open' && state.status !== 'uncollectible') throw refusals.notOpen();
}
