// Stripe's webhook signature: `Stripe-Signature: t=<unix seconds>,v1=<hex>` where v1 is
// HMAC-SHA256 keyed by the endpoint's secret over `<t>.<raw body>`. The receiver recomputes it
// over the exact bytes it got (stripe.webhooks.constructEvent) and rejects stale timestamps.
import { createHmac } from 'node:crypto';

export function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}
