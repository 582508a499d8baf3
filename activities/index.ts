// Activities are built from their dependencies, so tests and the worker wire real ones alike.
import type { Database } from '../db/connection';
import { createFinalizeActivities } from './finalize';
import { createInvoiceActivities } from './invoices';
import { createPaymentActivities } from './payments';

export interface ActivityDeps {
  db: Database;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createInvoiceActivities(deps),
    ...createFinalizeActivities(deps),
    ...createPaymentActivities(deps),
  };
}
