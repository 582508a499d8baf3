import type { ActivityDeps } from '.';
import { saveInvoiceProjection } from '../db/repositories/invoices';
import type { DomainEvent, InvoiceState } from '../workflows/domain/types';

export interface PersistInvoiceInput {
  state: InvoiceState;
  events: DomainEvent[];
}

export function createInvoiceActivities({ db }: ActivityDeps) {
  return {
    // One transaction: the projection and the events it emitted (a transactional outbox).
    // Idempotent under retry: the row only moves forward by version and events are keyed by id.
    async persistInvoice({ state, events }: PersistInvoiceInput): Promise<void> {
      await saveInvoiceProjection(db, state, events);
    },
  };
}
