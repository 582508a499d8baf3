// What an invoice's issued credit notes take: their pre-payment parts (off what is due) and
// their post-payment parts (of what was paid). Pure.
import type { InvoiceState } from './types';

export function creditNoteTotals(state: Pick<InvoiceState, 'creditNotes'>): { pre: number; post: number } {
  let pre = 0;
  let post = 0;
  for (const note of state.creditNotes ?? []) {
    if (note.status !== 'issued') continue;
    pre += note.prePaymentAmount;
    post += note.postPaymentAmount;
  }
  return { pre, post };
}
