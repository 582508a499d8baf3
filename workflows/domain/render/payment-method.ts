import type Stripe from 'stripe';
import type { TestPaymentMethod } from '../payment-methods';

// Stripe's test payment methods as the objects `expand[]=default_payment_method` shows.
export function renderPaymentMethod(
  method: TestPaymentMethod,
  customerId: string | null,
  // A payment method made from it (created, or attached to a customer): its own id and fields.
  own: { id: string; created: number; metadata: Record<string, string> } | null = null,
): Stripe.PaymentMethod {
  return {
    id: own?.id ?? method.id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: method.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: method.brand,
      exp_month: 12,
      exp_year: 2034,
      fingerprint: null,
      funding: 'credit',
      generated_from: null,
      last4: method.last4,
      networks: { available: [method.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: own?.created ?? 0,
    customer: customerId,
    customer_account: null,
    livemode: false,
    metadata: own?.metadata ?? {},
    type: 'card',
  };
}
