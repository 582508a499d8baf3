import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { newId } from '../../db/random-ids';
import type { HeldKey } from './held-key';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Object ids for creates: derived from (account, key, generation, prefix) when the request
// carries a key, so a retry whose first attempt got as far as starting a workflow or writing a
// row, but never stored its response, makes the same object instead of a second one.
export function idForRequest(prefix: string, ctx: { account: { id: string }; res: Response }): string {
  const held = ctx.res.locals.idempotency as HeldKey | undefined;
  if (!held) return newId(prefix);
  const digest = createHash('sha256')
    .update(JSON.stringify([ctx.account.id, held.key, held.generation, prefix]))
    .digest();
  let value = BigInt(`0x${digest.toString('hex')}`);
  let body = '';
  for (let i = 0; i < 24; i++) {
    body += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return `${prefix}_${body}`;
}
