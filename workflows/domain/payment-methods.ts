// The test-mode payment processor: Stripe's documented test payment methods and what a charge
// on each of them does. Anything else is unknown here (404), as a live-only id would be.
export type ChargeOutcome =
  | { status: 'succeeded' }
  // actionToken: the capability of the authentication page that completes or fails it.
  | { status: 'requires_action'; actionToken?: string }
  | { status: 'declined'; code: string; declineCode: string; message: string };

export interface TestPaymentMethod {
  id: string;
  brand: string;
  last4: string;
  outcome: ChargeOutcome;
}

const DECLINED = 'Your card was declined.';

function card(id: string, brand: string, last4: string, outcome: ChargeOutcome = { status: 'succeeded' }) {
  return { id, brand, last4, outcome };
}

function declined(code: string, declineCode: string, message: string): ChargeOutcome {
  return { status: 'declined', code, declineCode, message };
}

const CATALOGUE: TestPaymentMethod[] = [
  card('pm_card_visa', 'visa', '4242'),
  card('pm_card_visa_debit', 'visa', '5556'),
  card('pm_card_mastercard', 'mastercard', '4444'),
  card('pm_card_amex', 'amex', '8431'),
  card('pm_card_discover', 'discover', '1117'),
  card('pm_card_chargeDeclined', 'visa', '0002', declined('card_declined', 'generic_decline', DECLINED)),
  card(
    'pm_card_chargeDeclinedInsufficientFunds',
    'visa',
    '9995',
    declined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  ),
  card('pm_card_chargeDeclinedLostCard', 'visa', '9987', declined('card_declined', 'lost_card', DECLINED)),
  card(
    'pm_card_chargeDeclinedStolenCard',
    'visa',
    '9979',
    declined('card_declined', 'stolen_card', DECLINED),
  ),
  card('pm_card_chargeDeclinedFraudulent', 'visa', '0019', declined('card_declined', 'fraudulent', DECLINED)),
  card(
    'pm_card_chargeDeclinedExpiredCard',
    'visa',
    '0069',
    declined('expired_card', 'expired_card', 'Your card has expired.'),
  ),
  card(
    'pm_card_chargeDeclinedIncorrectCvc',
    'visa',
    '0127',
    declined('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
  ),
  card(
    'pm_card_chargeDeclinedProcessingError',
    'visa',
    '0119',
    declined(
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ),
  ),
  // Attaches to a customer, then every charge declines (Stripe's 4000000000000341).
  card('pm_card_chargeCustomerFail', 'visa', '0341', declined('card_declined', 'generic_decline', DECLINED)),
  card('pm_card_authenticationRequired', 'visa', '3184', { status: 'requires_action' }),
  card('pm_card_threeDSecure2Required', 'visa', '3220', { status: 'requires_action' }),
];

const BY_ID = new Map(CATALOGUE.map((method) => [method.id, method]));

export function findTestPaymentMethod(id: string): TestPaymentMethod | null {
  return BY_ID.get(id) ?? null;
}

export function simulateCharge(paymentMethodId: string): ChargeOutcome | null {
  return BY_ID.get(paymentMethodId)?.outcome ?? null;
}

// Test tokens (tok_visa, tok_chargeDeclined...) name the same cards as pm_card_*.
export function testMethodOfToken(token: string): TestPaymentMethod | null {
  return token.startsWith('tok_') ? findTestPaymentMethod(`pm_card_${token.slice(4)}`) : null;
}

// A raw test card number (4242424242424242, 4000000000003220...): the test card with its last 4.
export function testMethodOfNumber(number: string): TestPaymentMethod | null {
  const digits = number.replace(/\s+/g, '');
  if (!/^\d{12,19}$/.test(digits)) return null;
  return CATALOGUE.find((method) => method.last4 === digits.slice(-4)) ?? null;
}
