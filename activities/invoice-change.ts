// Writing one invoice transition's effects inside a Postgres transaction, shared by the plain
// persist activity and the finalize activity.
import type { Knex } from 'knex';
import { recordBalanceTransaction } from '../db/repositories/balance-transactions';
import { syncInvoiceItemsFromInvoice } from '../db/repositories/invoice-item-sync';
import { syncCreditNotes } from '../db/repositories/credit-notes';
import { syncCreditNoteRefunds } from '../db/repositories/credit-note-refunds';
import { syncInvoicePayments } from '../db/repositories/invoice-payments';
import { cancelPaymentsOfInvoice } from '../db/repositories/payments';
import { recordIntentEvents } from '../db/repositories/payment-intent-events';
import { renderInvoicePayment } from '../workflows/domain/render/invoice-payment';
import {
  insertEvents,
  insertInvoiceEvents,
  writeInvoiceProjection,
  type EventRequest,
} from '../db/repositories/invoices';
import { hostedPagePath } from '../workflows/domain/render/invoice';
import { renderCreditNote } from '../workflows/domain/render/credit-note';
import type { CollectionSettings } from '../workflows/domain/collection-settings';
import type { TransitionResult } from '../workflows/domain/invoice';

export type InvoiceChange = TransitionResult & {
  request: EventRequest;
  now: number;
  // The stored invoice-item rows already match this state (itemRowsUnchanged): no sync.
  itemRowsUnchanged?: boolean;
  // The settings the workflow runs with: sent with a run's first persist, kept on the row for
  // the reminders a test clock advance writes in bulk (activities/clock-reminders.ts).
  settings?: CollectionSettings;
};

// publicUrl: the hosted pages' base, so the events' invoice links its hosted page and PDF.
export async function writeInvoiceChange(
  trx: Knex.Transaction,
  change: InvoiceChange,
  publicUrl?: string,
): Promise<void> {
  const { state } = change;
  // A retry after a commit finds its version already stored: nothing more to do.
  const written = await writeInvoiceProjection(trx, state, change.settings);
  if (!written) return;
  // credit_note.* events carry the credit note, every other one the invoice.
  const ofInvoice = change.events.filter((event) => event.objectId === undefined);
  await insertInvoiceEvents(trx, state, ofInvoice, change.request, {
    publicUrl,
    token: written.hostedToken,
  });
  await syncCreditNotes(trx, state);
  await syncInvoicePayments(trx, state);
  await syncCreditNoteRefunds(trx, state);
  // Payments this change canceled (the invoice paid another way, or voided): so are their
  // PaymentIntents, unless their money already came.
  const canceled = (state.payments ?? []).filter(
    (payment) => payment.status === 'canceled' && payment.canceledAt === change.now,
  );
  const intents = await cancelPaymentsOfInvoice(
    trx,
    canceled.map((payment) => payment.paymentIntentId),
    change.now,
    state.status === 'void' ? 'void_invoice' : 'automatic',
  );
  for (const intent of intents) {
    await recordIntentEvents(trx, state.accountId, intent, { charged: false, statusBefore: null });
  }
  for (const event of change.events) {
    // invoice_payment.* events carry the invoice payment.
    const payment = event.objectId
      ? state.payments?.find((candidate) => candidate.id === event.objectId)
      : null;
    if (payment) {
      const body = renderInvoicePayment(state, payment) as unknown as Record<string, unknown>;
      await insertEvents(trx, state.accountId, payment.id, [event], body, change.request);
      continue;
    }
    const note = event.objectId
      ? state.creditNotes?.find((candidate) => candidate.id === event.objectId)
      : null;
    if (!note) continue;
    const pdf = publicUrl ? `${publicUrl.replace(/\/+$/, '')}${hostedPagePath(written.hostedToken)}/pdf` : '';
    const body = renderCreditNote(note, {
      invoiceId: state.id,
      customerId: state.customerId,
      currency: state.currency,
      livemode: state.livemode,
      pdf,
    });
    await insertEvents(
      trx,
      state.accountId,
      note.id,
      [event],
      body as unknown as Record<string, unknown>,
      change.request,
    );
  }
  for (const transaction of change.balanceTransactions) {
    await recordBalanceTransaction(trx, {
      id: transaction.id,
      accountId: state.accountId,
      customerId: transaction.customerId,
      amount: transaction.amount,
      currency: transaction.currency,
      type: transaction.type,
      invoiceId: transaction.invoiceId,
      description: null,
      metadata: {},
      created: transaction.created,
    });
  }
  if (change.itemRowsUnchanged) return;
  await syncInvoiceItemsFromInvoice(trx, state, change.invoiceItemChanges, change.now, change.request);
}
