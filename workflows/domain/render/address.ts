import type Stripe from 'stripe';
import type { Address } from '../types';

export function renderAddress(address: Address): Stripe.Address {
  return {
    city: address.city,
    country: address.country,
    line1: address.line1,
    line2: address.line2,
    postal_code: address.postalCode,
    state: address.state,
  };
}
