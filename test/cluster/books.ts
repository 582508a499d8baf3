// The books of a whole database, checked after the cluster has been broken on purpose: no
// invoice made twice for one request, no invoice paid by two charges, no charge without its
// invoice paid, no event that happens once per object recorded twice.
import type { Database } from '../../db/connection';

// Events a given object has at most once in its life.
export const ONCE_PER_OBJECT = [
  'customer.created',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_succeeded',
  'customer.subscription.created',
];

export interface Books {
  invoices: number;
  paidInvoices: number;
  succeededCharges: number;
  // Each row a fault: what it is and the ids involved.
  faults: string[];
}

async function rows<T>(db: Database, sql: string, bindings: Array<string | string[]> = []): Promise<T[]> {
  return ((await db.raw(sql, bindings)) as { rows: T[] }).rows;
}

export async function checkBooks(db: Database): Promise<Books> {
  const faults: string[] = [];
  for (const row of await rows<{ invoice_id: string; n: number }>(
    db,
    `select invoice_id, count(*)::int as n from payments where status = 'succeeded' and invoice_id is not null
     group by invoice_id having count(*) > 1`,
  ))
    faults.push(`invoice ${row.invoice_id} charged ${row.n} times`);
  for (const row of await rows<{ id: string; amount_due: string; charges: number }>(
    db,
    `select i.id, i.amount_due, (select count(*)::int from payments p
        where p.invoice_id = i.id and p.status = 'succeeded') as charges
     from invoices i where i.status = 'paid' and i.amount_due > 0`,
  ))
    if (row.charges !== 1) faults.push(`paid invoice ${row.id} has ${row.charges} charges`);
  for (const row of await rows<{ invoice_id: string }>(
    db,
    `select p.invoice_id from payments p join invoices i on i.id = p.invoice_id
     where p.status = 'succeeded' and i.status <> 'paid'`,
  ))
    faults.push(`a charge on invoice ${row.invoice_id}, which is not paid`);
  for (const row of await rows<{ object_id: string; type: string; n: number }>(
    db,
    `select object_id, type, count(*)::int as n from events where type = any(?)
     group by object_id, type having count(*) > 1`,
    [ONCE_PER_OBJECT],
  ))
    faults.push(`${row.type} recorded ${row.n} times for ${row.object_id}`);
  for (const row of await rows<{ number: string; n: number }>(
    db,
    `select number, count(*)::int as n from invoices where number is not null group by account_id, number
     having count(*) > 1`,
  ))
    faults.push(`invoice number ${row.number} given ${row.n} times`);
  const [totals] = await rows<{ invoices: number; paid: number; charges: number }>(
    db,
    `select (select count(*)::int from invoices) as invoices,
            (select count(*)::int from invoices where status = 'paid') as paid,
            (select count(*)::int from payments where status = 'succeeded') as charges`,
  );
  return {
    invoices: totals.invoices,
    paidInvoices: totals.paid,
    succeededCharges: totals.charges,
    faults,
  };
}

// How many invoices and customers carry this metadata run tag, per request number.
export async function madePerRequest(
  db: Database,
  table: 'invoices' | 'customers',
  run: string,
): Promise<Map<string, number>> {
  const found = await rows<{ request: string; n: number }>(
    db,
    `select metadata->>'request' as request, count(*)::int as n from ${table}
     where metadata->>'run' = ? group by 1`,
    [run],
  );
  return new Map(found.map((row) => [row.request, row.n]));
}
