// Ids made outside workflows (API, scripts) come from the OS's cryptographic randomness.
import { randomBytes, randomInt } from 'node:crypto';
import { createIdFactory } from '../workflows/domain/ids';

export const newId = createIdFactory(() => randomInt(0, 2 ** 32) / 2 ** 32);

export function newSecret(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

// A webhook endpoint's signing secret (whsec_...), made by the API and used by the deliveries.
export function newWebhookSecret(): string {
  return newSecret('whsec', 24);
}

// A PaymentIntent's client_secret: its id, `_secret_` and 24 random letters and digits, as Stripe's.
export function newClientSecret(paymentIntentId: string): string {
  return `${paymentIntentId}_secret_${newId('s').slice('s_'.length)}`;
}
