// The cards the hosted page offers: Stripe's test payment methods (this engine runs in test
// mode), a success first, then the declines and the authentication case worth trying.
import { findTestPaymentMethod } from '../../workflows/domain/payment-methods';

const OFFERED: Array<[id: string, note: string]> = [
  ['pm_card_visa', 'succeeds'],
  ['pm_card_mastercard', 'succeeds'],
  ['pm_card_amex', 'succeeds'],
  ['pm_card_chargeDeclined', 'declined'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient funds'],
  ['pm_card_chargeDeclinedExpiredCard', 'expired card'],
  ['pm_card_authenticationRequired', 'requires authentication'],
];

export interface CardOption {
  id: string;
  label: string;
  selected: boolean;
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function testCardOptions(selectedId = 'pm_card_visa'): CardOption[] {
  return OFFERED.map(([id, note]) => {
    const method = findTestPaymentMethod(id);
    const card = method ? `${capitalized(method.brand)} •••• ${method.last4}` : id;
    return { id, label: `${card} (${note})`, selected: id === selectedId };
  });
}

// Any of Stripe's test payment methods is accepted, not only the offered ones.
export function isTestPaymentMethod(id: unknown): id is string {
  return typeof id === 'string' && findTestPaymentMethod(id) !== null;
}
