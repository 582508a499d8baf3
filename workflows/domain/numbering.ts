// Stripe numbers invoices with the customer's prefix and a zero-padded sequence: ABCD1234-0001.
export function invoiceNumber(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(4, '0')}`;
}
