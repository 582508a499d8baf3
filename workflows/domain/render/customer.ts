import type Stripe from 'stripe';
import type { CustomerRecord } from '../customer';
import { renderAddress } from './address';

export function renderCustomer(customer: CustomerRecord): Stripe.Customer {
  return {
    id: customer.id,
    object: 'customer',
    address: customer.address ? renderAddress(customer.address) : null,
    balance: customer.balance,
    created: customer.created,
    currency: customer.currency,
    default_source: null,
    delinquent: false,
    description: customer.description,
    discount: null,
    email: customer.email,
    invoice_prefix: customer.invoicePrefix,
    invoice_settings: {
      custom_fields: customer.invoiceSettings.customFields,
      default_payment_method: customer.invoiceSettings.defaultPaymentMethod,
      footer: customer.invoiceSettings.footer,
      rendering_options: null,
    },
    livemode: false,
    metadata: customer.metadata,
    name: customer.name,
    next_invoice_sequence: customer.nextInvoiceSequence,
    phone: customer.phone,
    preferred_locales: customer.preferredLocales,
    shipping: customer.shipping
      ? {
          address: renderAddress(customer.shipping.address),
          name: customer.shipping.name,
          phone: customer.shipping.phone,
        }
      : null,
    tax_exempt: customer.taxExempt,
    test_clock: customer.testClockId,
  };
}

export function renderDeletedCustomer(id: string): Stripe.DeletedCustomer {
  return { id, object: 'customer', deleted: true };
}
