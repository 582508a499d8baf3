// WEBHOOK_URL_POLICY: where webhooks may go. `permissive` (the `npm start` default) sends to any
// http(s) URL, a receiver on the developer's own machine included. `strict` (the standalone API
// and worker, compose, the cluster) refuses URLs whose host is, or resolves to, a non-public
// address (workflows/domain/network-address.ts): at creation and update, with Stripe's
// url_invalid on `url`, and again at every delivery, where the connection goes to the very
// address that was checked (the socket's `lookup` is ours), so a name that changes what it
// points to between the check and the connection cannot slip through.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from '../workflows/domain/network-address';

export type WebhookUrlPolicyMode = 'permissive' | 'strict';

// A host name's addresses (IPv4 and IPv6 literals); the system resolver unless a test gives one.
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface WebhookUrlPolicy {
  mode: WebhookUrlPolicyMode;
  resolve?: ResolveHost;
}

export const systemResolve: ResolveHost = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export function webhookUrlPolicyFromEnv(
  fallback: WebhookUrlPolicyMode,
  env: NodeJS.ProcessEnv = process.env,
): WebhookUrlPolicy {
  const value = env.WEBHOOK_URL_POLICY || fallback;
  if (value !== 'permissive' && value !== 'strict') {
    throw new Error(`WEBHOOK_URL_POLICY must be "permissive" or "strict", got "${value}"`);
  }
  return { mode: value };
}

export class RefusedAddressError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');
const familyOf = (address: string) => (address.includes(':') ? 6 : 4);

function refusal(host: string, address: string): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  const what = kind === null ? 'not an IP address' : `a ${kind} address`;
  return host === address ? `${address} is ${what}` : `${host} resolves to ${address}, ${what}`;
}

// The first non-public address among a host's, as a sentence; null when all are public.
async function refusedHost(host: string, resolve: ResolveHost): Promise<string | null> {
  if (classifyAddress(host) !== null) return refusal(host, host);
  for (const address of await resolve(host)) {
    const reason = refusal(host, address);
    if (reason) return reason;
  }
  return null;
}

// At creation and update: why the URL may not be used, or null. A name that does not resolve
// now is taken (it may exist later); every delivery checks it again.
export async function refusedWebhookUrl(url: string, policy: WebhookUrlPolicy): Promise<string | null> {
  if (policy.mode === 'permissive') return null;
  const host = hostOf(new URL(url));
  try {
    return await refusedHost(host, policy.resolve ?? systemResolve);
  } catch {
    return null;
  }
}

// At delivery: an IP literal is checked before connecting; a name is resolved by this lookup,
// which refuses if any of its addresses is not public and otherwise hands the socket the
// addresses it checked.
export function deliveryGuard(
  url: URL,
  policy: WebhookUrlPolicy,
): { refused: string | null; lookup?: LookupFunction } {
  if (policy.mode === 'permissive') {
    return { refused: null };
  }
  const host = hostOf(url);
  if (classifyAddress(host) !== null) return { refused: refusal(host, host) };
  const resolve = policy.resolve ?? systemResolve;
  const lookup = ((hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const reason = refusal(hostname, address);
          if (reason) return callback(new RefusedAddressError(reason), '', 0);
        }
        const usable = addresses.filter((a) => !options.family || familyOf(a) === options.family);
        if (usable.length === 0) {
          return callback(
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        }
        if (options.all) {
          return callback(
            null,
            usable.map((address) => ({ address, family: familyOf(address) })),
          );
        }
        callback(null, usable[0], familyOf(usable[0]));
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  }) as unknown as LookupFunction;
  return { refused: null, lookup };
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;
