// The invoice as a customer reads it, computed once and laid out three ways: the hosted page,
// the PDF and the email. Every value is already a display string; layouts only place them.
import { creditNoteTotals } from '../credit-note-totals';
import { invoiceAdjustments } from '../invoice-adjustments';
import type { TaxRateRecord } from '../tax-rate';
import { computeTotals } from '../totals';
import type { Address, InvoiceState, InvoiceStatus } from '../types';
import { formatDate, formatMoney, formatPeriod, formatUnitDecimal } from './human-format';

export interface DocumentLine {
  description: string;
  period: string | null;
  quantity: string;
  unitPrice: string | null;
  amount: string;
}

export interface DocumentRow {
  label: string;
  value: string;
  strong: boolean;
}

export interface InvoiceDocument {
  invoiceId: string;
  number: string;
  title: string; // "Invoice ACME-0001"
  status: InvoiceStatus;
  statusLabel: string; // "Due December 25, 2026", "Paid", "Void"...
  seller: { name: string };
  customer: { name: string | null; email: string | null; phone: string | null; addressLines: string[] };
  // What the reader sees first: "$120.00" and "due December 25, 2026" (or "paid November 25, 2026").
  headline: { amount: string; caption: string };
  dates: DocumentRow[]; // issued, due, paid...
  description: string | null;
  customFields: Array<{ name: string; value: string }>;
  lines: DocumentLine[];
  totals: DocumentRow[];
  amountDue: string;
  amountRemaining: string;
  dueDate: string | null;
  receiptNumber: string | null;
  footer: string | null;
  // The customer can still pay it here.
  payable: boolean;
  paid: boolean;
}

const STATUS_WORDS: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  open: 'Open',
  paid: 'Paid',
  uncollectible: 'Uncollectible',
  void: 'Void',
};

export function addressLines(address: Address | null): string[] {
  if (!address) return [];
  const cityLine = [address.postalCode, address.city, address.state].filter(Boolean).join(' ');
  return [address.line1, address.line2, cityLine, address.country].filter((part): part is string => !!part);
}

function statusLabel(state: InvoiceState): string {
  if (state.status === 'paid' && state.statusTransitions.paidAt !== null)
    return `Paid ${formatDate(state.statusTransitions.paidAt)}`;
  if (state.status === 'open' && state.dueDate !== null) return `Due ${formatDate(state.dueDate)}`;
  return STATUS_WORDS[state.status];
}

function dateRows(state: InvoiceState): DocumentRow[] {
  const issued = state.statusTransitions.finalizedAt ?? state.created;
  const rows: DocumentRow[] = [{ label: 'Date of issue', value: formatDate(issued), strong: false }];
  if (state.dueDate !== null)
    rows.push({ label: 'Date due', value: formatDate(state.dueDate), strong: false });
  const paidAt = state.statusTransitions.paidAt;
  if (paidAt !== null) rows.push({ label: 'Date paid', value: formatDate(paidAt), strong: false });
  const voidedAt = state.statusTransitions.voidedAt;
  if (voidedAt !== null) rows.push({ label: 'Date voided', value: formatDate(voidedAt), strong: false });
  return rows;
}

function documentLine(line: InvoiceState['lines'][number]): DocumentLine {
  const unitPrice = line.unitAmountDecimal
    ? formatUnitDecimal(line.unitAmountDecimal, line.currency)
    : line.quantity > 0 && line.amount % line.quantity === 0
      ? formatMoney(line.amount / line.quantity, line.currency)
      : null;
  return {
    description: line.description ?? '',
    period: line.period.start !== line.period.end ? formatPeriod(line.period.start, line.period.end) : null,
    quantity: String(line.quantity),
    unitPrice,
    amount: formatMoney(line.amount, line.currency),
  };
}

// One row per discount: "Discount (Spring sale, 25% off)", as a negative amount.
function discountRows(state: InvoiceState, money: (amount: number) => string): DocumentRow[] {
  const applied = [...(state.discounts ?? []), ...state.lines.flatMap((line) => line.discounts ?? [])];
  return invoiceAdjustments(state)
    .discounts.totals.filter((entry) => entry.amount !== 0)
    .map((entry) => {
      const coupon = applied.find((discount) => discount.id === entry.discountId)?.coupon;
      const off =
        coupon?.percentOff !== null && coupon?.percentOff !== undefined ? `, ${coupon.percentOff}% off` : '';
      const name = coupon ? `${coupon.name ?? coupon.id}${off}` : entry.discountId;
      return { label: `Discount (${name})`, value: money(-entry.amount), strong: false };
    });
}

// One row per tax rate: "VAT (20% included)", "Sales tax (8.25%)".
function taxRows(state: InvoiceState, money: (amount: number) => string): DocumentRow[] {
  const rates = new Map<string, TaxRateRecord>();
  for (const rate of [...(state.defaultTaxRates ?? []), ...state.lines.flatMap((l) => l.taxRates ?? [])]) {
    rates.set(rate.id, rate);
  }
  return invoiceAdjustments(state).taxes.totalTaxes.map((tax) => {
    const rate = rates.get(tax.taxRateId);
    const name = rate?.displayName ?? 'Tax';
    const share = rate ? ` (${rate.percentage}%${tax.inclusive ? ' included' : ''})` : '';
    return { label: `${name}${share}`, value: money(tax.amount), strong: false };
  });
}

function totalRows(state: InvoiceState): DocumentRow[] {
  const totals = computeTotals(state);
  const money = (amount: number) => formatMoney(amount, state.currency);
  const rows: DocumentRow[] = [
    { label: 'Subtotal', value: money(totals.subtotal), strong: false },
    ...discountRows(state, money),
    ...taxRows(state, money),
    { label: 'Total', value: money(totals.total), strong: true },
  ];
  // Credit (negative balance) taken off, or debt added, at finalization.
  const credited = creditNoteTotals(state);
  const applied = totals.amountDue + credited.pre - totals.total;
  if (state.status !== 'draft' && applied !== 0)
    rows.push({ label: 'Applied balance', value: money(applied), strong: false });
  for (const note of state.creditNotes ?? []) {
    if (note.status !== 'issued') continue;
    rows.push({ label: `Credit note ${note.number}`, value: money(-note.amount), strong: false });
  }
  rows.push({ label: 'Amount due', value: money(totals.amountDue), strong: true });
  if (totals.amountPaid > 0) {
    rows.push({ label: 'Amount paid', value: money(totals.amountPaid), strong: false });
    rows.push({ label: 'Amount remaining', value: money(totals.amountRemaining), strong: true });
  }
  return rows;
}

export function invoiceDocument(state: InvoiceState, seller: { name: string }): InvoiceDocument {
  const totals = computeTotals(state);
  const money = (amount: number) => formatMoney(amount, state.currency);
  const number = state.number ?? state.id;
  const paid = state.status === 'paid';
  const paidAt = state.statusTransitions.paidAt;
  const payable = (state.status === 'open' || state.status === 'uncollectible') && totals.amountRemaining > 0;
  const caption = paid
    ? paidAt !== null
      ? `paid ${formatDate(paidAt)}`
      : 'paid'
    : state.dueDate !== null && payable
      ? `due ${formatDate(state.dueDate)}`
      : payable
        ? 'due'
        : STATUS_WORDS[state.status].toLowerCase();
  return {
    invoiceId: state.id,
    number,
    title: `Invoice ${number}`,
    status: state.status,
    statusLabel: statusLabel(state),
    seller,
    customer: {
      name: state.customer.name,
      email: state.customer.email,
      phone: state.customer.phone,
      addressLines: addressLines(state.customer.address),
    },
    headline: { amount: money(paid ? totals.amountPaid : totals.amountRemaining), caption },
    dates: dateRows(state),
    description: state.description,
    customFields: (state.customFields ?? []).map((field) => ({ name: field.name, value: field.value })),
    lines: state.lines.map(documentLine),
    totals: totalRows(state),
    amountDue: money(totals.amountDue),
    amountRemaining: money(totals.amountRemaining),
    dueDate: state.dueDate !== null ? formatDate(state.dueDate) : null,
    receiptNumber: state.receiptNumber,
    footer: state.footer,
    payable,
    paid,
  };
}
