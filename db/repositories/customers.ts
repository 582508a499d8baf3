import type { Knex } from 'knex';
import type { CustomerRecord } from '../../workflows/domain/customer';
import type { Database } from '../connection';
import { prepared } from '../prepared-statements';

export interface CustomerRow {
  seq: number;
  id: string;
  account_id: string;
  created: number;
  email: string | null;
  name: string | null;
  balance: number;
  currency: string | null;
  invoice_prefix: string;
  next_invoice_sequence: number;
  test_clock: string | null;
  deleted: boolean;
  metadata: Record<string, string>;
  attributes: Pick<
    CustomerRecord,
    'phone' | 'description' | 'address' | 'shipping' | 'invoiceSettings' | 'preferredLocales' | 'taxExempt'
  >;
}

export function customerFromRow(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    created: row.created,
    email: row.email,
    name: row.name,
    balance: row.balance,
    currency: row.currency,
    invoicePrefix: row.invoice_prefix,
    nextInvoiceSequence: row.next_invoice_sequence,
    testClockId: row.test_clock,
    deleted: row.deleted,
    metadata: row.metadata,
    ...row.attributes,
  };
}

function customerToRow(customer: CustomerRecord): Omit<CustomerRow, 'seq'> {
  const { phone, description, address, shipping, invoiceSettings, preferredLocales, taxExempt } = customer;
  return {
    id: customer.id,
    account_id: customer.accountId,
    created: customer.created,
    email: customer.email,
    name: customer.name,
    balance: customer.balance,
    currency: customer.currency,
    invoice_prefix: customer.invoicePrefix,
    next_invoice_sequence: customer.nextInvoiceSequence,
    test_clock: customer.testClockId,
    deleted: customer.deleted,
    metadata: customer.metadata,
    attributes: { phone, description, address, shipping, invoiceSettings, preferredLocales, taxExempt },
  };
}

// The insert, unrun: for a caller that joins it to other writes in one statement.
export function insertCustomerQuery(
  db: Database | Knex.Transaction,
  customer: CustomerRecord,
): Knex.QueryBuilder {
  const row = customerToRow(customer);
  return db('customers').insert({
    ...row,
    metadata: JSON.stringify(row.metadata),
    attributes: JSON.stringify(row.attributes),
  });
}

export async function insertCustomer(
  db: Database | Knex.Transaction,
  customer: CustomerRecord,
): Promise<void> {
  await insertCustomerQuery(db, customer);
}

export async function updateCustomer(
  db: Database | Knex.Transaction,
  customer: CustomerRecord,
): Promise<void> {
  const { id, account_id, created, ...rest } = customerToRow(customer);
  void created;
  await db('customers')
    .where({ id, account_id })
    .update({
      ...rest,
      metadata: JSON.stringify(rest.metadata),
      attributes: JSON.stringify(rest.attributes),
    });
}

// Deleted customers stay as rows (their invoices still point at them) but are not found.
export async function findCustomer(
  db: Database | Knex.Transaction,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<CustomerRecord | null> {
  let query = db('customers').where({ account_id: accountId, id });
  if (!options.includeDeleted) query = query.andWhere({ deleted: false });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await prepared(query).first()) as CustomerRow | undefined;
  return row ? customerFromRow(row) : null;
}
