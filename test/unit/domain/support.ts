// Factories for domain tests: deterministic ids, a customer, and invoices in every status.
import { DomainError } from '../../../workflows/domain/errors';
import type { IdFactory } from '../../../workflows/domain/ids';
import {
  createInvoice,
  finalize,
  markUncollectible,
  paymentSucceeded,
  voidInvoice,
  type CreateInvoiceCommand,
  type FinalizeCommand,
  type LineInput,
} from '../../../workflows/domain/invoice';
import type { CustomerSnapshot, InvoiceState } from '../../../workflows/domain/types';

export const NOW = 1_750_000_000;

export const DAY = 86_400;

// Unix seconds for a UTC wall-clock time (month 1-based, as people write dates).
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

// Ids like evt_000001: unique, ordered, and readable in failures.
export function sequentialIds(): IdFactory {
  let next = 0;
  return (prefix) => `${prefix}_${String(++next).padStart(6, '0')}`;
}

export function customerSnapshot(overrides: Partial<CustomerSnapshot> = {}): CustomerSnapshot {
  return {
    email: 'jenny@example.com',
    name: 'Jenny Rosen',
    phone: null,
    address: null,
    taxExempt: 'none',
    ...overrides,
  };
}

export function line(overrides: LineInput = {}): LineInput {
  return { amount: 1000, description: 'Widget', ...overrides };
}

export function createCommand(overrides: Partial<CreateInvoiceCommand> = {}): CreateInvoiceCommand {
  return {
    invoiceId: 'in_test',
    accountId: 'acct_test',
    customerId: 'cus_test',
    currency: 'usd',
    customer: customerSnapshot(),
    lines: [line()],
    ...overrides,
  };
}

export function draftInvoice(
  overrides: Partial<CreateInvoiceCommand> = {},
  ids = sequentialIds(),
): InvoiceState {
  return createInvoice(createCommand(overrides), NOW, ids).state;
}

export function finalizeCommand(overrides: Partial<FinalizeCommand> = {}): FinalizeCommand {
  return { number: 'ABCD1234-0001', customerBalance: 0, ...overrides };
}

export function openInvoice(overrides: Partial<CreateInvoiceCommand> = {}, balance = 0): InvoiceState {
  const ids = sequentialIds();
  return finalize(draftInvoice(overrides, ids), finalizeCommand({ customerBalance: balance }), NOW + 10, ids)
    .state;
}

export function paidInvoice(overrides: Partial<CreateInvoiceCommand> = {}): InvoiceState {
  const open = openInvoice(overrides);
  return paymentSucceeded(open, { amount: 1000 }, NOW + 20, sequentialIds()).state;
}

export function uncollectibleInvoice(overrides: Partial<CreateInvoiceCommand> = {}): InvoiceState {
  return markUncollectible(openInvoice(overrides), {}, NOW + 20, sequentialIds()).state;
}

export function voidedInvoice(overrides: Partial<CreateInvoiceCommand> = {}): InvoiceState {
  return voidInvoice(openInvoice(overrides), {}, NOW + 20, sequentialIds()).state;
}

export function deletedInvoice(): InvoiceState {
  return { ...draftInvoice(), deleted: true };
}

// The refusal thrown by fn, which must be a DomainError.
export function refusalOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

// Asserts the refusal is exactly the expected one: status, type, code and param.
export function expectRefusal(fn: () => unknown, expected: DomainError): void {
  const { data } = refusalOf(fn);
  expect({ status: data.status, type: data.type, code: data.code, param: data.param }).toEqual({
    status: expected.data.status,
    type: expected.data.type,
    code: expected.data.code,
    param: expected.data.param,
  });
  // Refusals without a code are told apart by which refusal they are, not by their wording.
  expect(data).toEqual(expected.data);
}

export function eventTypes(result: { events: Array<{ type: string }> }): string[] {
  return result.events.map((e) => e.type);
}
