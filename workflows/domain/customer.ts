import type { Address, CustomerSnapshot, CustomField, Metadata } from './types';

export interface Shipping {
  name: string;
  phone: string | null;
  address: Address;
}

export interface CustomerRecord {
  id: string; // cus_...
  accountId: string;
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  balance: number; // minor units; negative is credit the customer holds
  currency: string | null;
  invoicePrefix: string;
  nextInvoiceSequence: number;
  testClockId: string | null;
  deleted: boolean;
  metadata: Metadata;
  address: Address | null;
  shipping: Shipping | null;
  invoiceSettings: {
    defaultPaymentMethod: string | null;
    footer: string | null;
    customFields: CustomField[] | null;
  };
  preferredLocales: string[];
  taxExempt: 'none' | 'exempt' | 'reverse';
}

export const EMPTY_ADDRESS: Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postalCode: null,
  state: null,
};

// Stripe: 3–12 uppercase letters or numbers.
export const INVOICE_PREFIX_PATTERN = /^[A-Z0-9]{3,12}$/;

// The customer's details an invoice shows (frozen at finalization).
export function customerSnapshot(customer: CustomerRecord): CustomerSnapshot {
  return {
    email: customer.email,
    name: customer.name,
    phone: customer.phone,
    address: customer.address,
    taxExempt: customer.taxExempt,
  };
}
