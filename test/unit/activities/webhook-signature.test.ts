import Stripe from 'stripe';
import { signatureHeader } from '../../../activities/webhook-signature';

describe('signatureHeader', () => {
  it("is accepted by the official client's constructEvent", () => {
    const secret = 'whsec_test_secret';
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.created' }, null, 2);
    const header = signatureHeader(payload, secret, Math.floor(Date.now() / 1000));
    const stripe = new Stripe('sk_test_x');
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe('evt_1');
    expect(() => stripe.webhooks.constructEvent(payload + ' ', header, secret)).toThrow();
    expect(() => stripe.webhooks.constructEvent(payload, header, 'whsec_other')).toThrow();
  });
});
