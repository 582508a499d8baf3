// The refunds of an invoice's credit notes, as its workflow allocated them to the invoice's paid
// PaymentIntents (workflows/domain/credit-note-refunds.ts): written with the invoice's change,
// each once, with the charge and payment method of the PaymentIntent it refunds.
import type { Knex } from 'knex';
import { refundReasonOf, refundsOfNote } from '../../workflows/domain/credit-note-refunds';
import type { InvoiceState } from '../../workflows/domain/types';
import { findPaymentRow } from './payments';
import { insertRefund } from './refunds';

export async function syncCreditNoteRefunds(trx: Knex.Transaction, state: InvoiceState): Promise<void> {
  const wanted = (state.creditNotes ?? []).flatMap((note) =>
    refundsOfNote(note).map((refund) => ({ note, refund })),
  );
  if (wanted.length === 0) return;
  const existing = new Set(
    (
      (await trx('refunds')
        .where({ account_id: state.accountId })
        .whereIn(
          'id',
          wanted.map(({ refund }) => refund.id),
        )
        .select('id')) as { id: string }[]
    ).map((row) => row.id),
  );
  for (const { note, refund } of wanted) {
    if (existing.has(refund.id)) continue;
    const payment = await findPaymentRow(trx, state.accountId, refund.paymentIntentId, { forUpdate: true });
    await insertRefund(trx, state.accountId, {
      id: refund.id,
      paymentIntentId: refund.paymentIntentId,
      chargeId: payment?.latest_charge ?? null,
      customerId: state.customerId,
      paymentMethod: payment?.payment_method ?? null,
      creditNoteId: note.id,
      amount: refund.amount,
      currency: state.currency,
      reason: refundReasonOf(note.reason),
      status: 'succeeded',
      metadata: {},
      created: note.created,
    });
  }
}
