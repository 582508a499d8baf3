// WEBHOOK_URL_POLICY: where webhooks may go. `permissive` (the `npm start` default) sends to any
// http(s) URL, a receiver on the developer's own machine included. `strict` (the standalone API
// and worker, compose, the cluster) refuses URLs whose host is, or resolves to, a non-public
// address (./network-address.ts): at creation and update, with Stripe's url_invalid on `url`
// (here), and again at every delivery (activities/webhook-delivery-guard.ts). Pure: the strict
// policy carries the resolver it asks, the system's (worker/config.ts) or a test's.
import { classifyAddress } from './network-address';

export type WebhookUrlPolicyMode = 'permissive' | 'strict';

// A host name's addresses (IPv4 and IPv6 literals).
export type ResolveHost = (hostname: string) => Promise<string[]>;

export type WebhookUrlPolicy = { mode: 'permissive' } | { mode: 'strict'; resolve: ResolveHost };

// The host as the resolver and classifyAddress take it: an IPv6 literal without its brackets.
export const webhookHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

// Why a host with this address may not take webhooks, as a sentence; null when it may.
export function addressRefusal(host: string, address: string): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  const what = kind === null ? 'not an IP address' : `a ${kind} address`;
  return host === address ? `${address} is ${what}` : `${host} resolves to ${address}, ${what}`;
}

// The first non-public address among a host's, as a sentence; null when all are public.
async function refusedHost(host: string, resolve: ResolveHost): Promise<string | null> {
  if (classifyAddress(host) !== null) return addressRefusal(host, host);
  for (const address of await resolve(host)) {
    const reason = addressRefusal(host, address);
    if (reason) return reason;
  }
  return null;
}

// At creation and update: why the URL may not be used, or null. A name that does not resolve
// now is taken (it may exist later); every delivery checks it again.
export async function refusedWebhookUrl(url: string, policy: WebhookUrlPolicy): Promise<string | null> {
  if (policy.mode === 'permissive') return null;
  try {
    return await refusedHost(webhookHost(new URL(url)), policy.resolve);
  } catch {
    return null;
  }
}
