// The strict webhook URL policy at delivery (workflows/domain/webhook-url-policy.ts says what it
// refuses): the connection goes to the very address that was checked (the socket's `lookup` is
// ours), so a name that changes what it points to between the check and the connection cannot
// slip through.
import type dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from '../workflows/domain/network-address';
import { addressRefusal, webhookHost, type WebhookUrlPolicy } from '../workflows/domain/webhook-url-policy';

export class RefusedAddressError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

const familyOf = (address: string) => (address.includes(':') ? 6 : 4);

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
  const host = webhookHost(url);
  if (classifyAddress(host) !== null) return { refused: addressRefusal(host, host) };
  const { resolve } = policy;
  const lookup = ((hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const reason = addressRefusal(hostname, address);
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
