// Activities are built from their dependencies, so tests and the worker wire real ones alike.
import type { Database } from '../db/connection';
import { createInvoiceActivities } from './invoices';

export interface ActivityDeps {
  db: Database;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createInvoiceActivities(deps),
  };
}
