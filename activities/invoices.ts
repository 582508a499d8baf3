import type { ActivityDeps } from './deps';
import { claimPendingItems, releaseClaimedItems } from '../db/repositories/invoice-item-claims';
import { DomainError } from '../workflows/domain/errors';
import { toApplicationFailure } from '../workflows/domain-failure';
import { writeInvoiceChange, type InvoiceChange } from './invoice-change';

export function createInvoiceActivities({ db, customerFacing, faults }: ActivityDeps) {
  return {
    // One transaction: the projection, its events (a transactional outbox), the customer
    // balance transactions and the invoice items behind its lines. Idempotent under retry.
    async persistInvoice(change: InvoiceChange): Promise<void> {
      try {
        await db.transaction((trx) => writeInvoiceChange(trx, change, customerFacing?.publicUrl));
        if (change.state.creditNotes?.some((note) => (note.refunds ?? []).length > 0)) {
          await faults?.reach('persistInvoice:after-refund');
        }
      } catch (error) {
        // A refusal (not a fault) will not go away by retrying: fail the update instead.
        if (error instanceof DomainError) throw toApplicationFailure(error);
        throw error;
      }
    },

    async claimPendingItems(input: {
      accountId: string;
      customerId: string;
      invoiceId: string;
      currency: string;
      subscriptionId?: string | null;
    }) {
      return claimPendingItems(db, input);
    },

    // A create refused after claiming gives the customer's pending items back.
    async releaseClaimedItems(input: { accountId: string; invoiceId: string }): Promise<number> {
      return releaseClaimedItems(db, input);
    },
  };
}
