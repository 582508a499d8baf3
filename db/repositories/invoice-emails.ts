// One row per invoice.sent event that was handled: the email that went out, or why none did.
// Keyed by the event: the email activity checks it first, so a retry never sends twice.
import type { Database } from '../connection';

export interface InvoiceEmailRecord {
  eventId: string;
  accountId: string;
  invoiceId: string;
  status: 'sent' | 'skipped';
  recipient: string | null;
  subject: string | null;
  messageId: string | null;
  transport: 'smtp' | 'outbox' | null;
  location: string | null;
  reason: string | null;
  created: number;
}

interface InvoiceEmailRow {
  event_id: string;
  account_id: string;
  invoice_id: string;
  status: 'sent' | 'skipped';
  recipient: string | null;
  subject: string | null;
  message_id: string | null;
  transport: 'smtp' | 'outbox' | null;
  location: string | null;
  reason: string | null;
  created: number;
}

function fromRow(row: InvoiceEmailRow): InvoiceEmailRecord {
  return {
    eventId: row.event_id,
    accountId: row.account_id,
    invoiceId: row.invoice_id,
    status: row.status,
    recipient: row.recipient,
    subject: row.subject,
    messageId: row.message_id,
    transport: row.transport,
    location: row.location,
    reason: row.reason,
    created: row.created,
  };
}

export async function findInvoiceEmail(db: Database, eventId: string): Promise<InvoiceEmailRecord | null> {
  const row = (await db('invoice_emails').where({ event_id: eventId }).first()) as
    InvoiceEmailRow | undefined;
  return row ? fromRow(row) : null;
}

export async function listInvoiceEmails(db: Database, invoiceId: string): Promise<InvoiceEmailRecord[]> {
  const rows = (await db('invoice_emails')
    .where({ invoice_id: invoiceId })
    .orderBy('created')) as InvoiceEmailRow[];
  return rows.map(fromRow);
}

// The first record wins: a concurrent duplicate (two attempts racing) changes nothing.
export async function recordInvoiceEmail(db: Database, record: InvoiceEmailRecord): Promise<void> {
  await db('invoice_emails')
    .insert({
      event_id: record.eventId,
      account_id: record.accountId,
      invoice_id: record.invoiceId,
      status: record.status,
      recipient: record.recipient,
      subject: record.subject,
      message_id: record.messageId,
      transport: record.transport,
      location: record.location,
      reason: record.reason,
      created: record.created,
    })
    .onConflict('event_id')
    .ignore();
}
