import { createHash } from 'node:crypto';
import type { Database } from '../connection';
import { newId, newSecret } from '../random-ids';
import type { CollectionSettings } from '../../workflows/domain/collection-settings';

export interface AccountRow {
  id: string;
  name: string;
  created: number;
  settings: Record<string, unknown>;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createAccount(
  db: Database,
  options: { name: string; secretKey?: string; now?: number },
): Promise<{ account: AccountRow; secretKey: string }> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const secretKey = options.secretKey ?? newSecret('sk_test');
  const account: AccountRow = { id: newId('acct'), name: options.name, created: now, settings: {} };
  await db.transaction(async (trx) => {
    await trx('accounts').insert(account);
    await trx('api_keys').insert({
      key_hash: hashApiKey(secretKey),
      account_id: account.id,
      last4: secretKey.slice(-4),
      created: now,
    });
  });
  return { account, secretKey };
}

export async function findAccountByApiKey(db: Database, secretKey: string): Promise<AccountRow | null> {
  const row = await db('api_keys')
    .join('accounts', 'accounts.id', 'api_keys.account_id')
    .where('api_keys.key_hash', hashApiKey(secretKey))
    .first('accounts.id', 'accounts.name', 'accounts.created', 'accounts.settings');
  return (row as AccountRow | undefined) ?? null;
}

// The dev account `npm start` seeds: found by its key when the key already exists.
export async function ensureAccountWithKey(
  db: Database,
  name: string,
  secretKey: string,
): Promise<AccountRow> {
  const existing = await findAccountByApiKey(db, secretKey);
  if (existing) return existing;
  return (await createAccount(db, { name, secretKey })).account;
}

// Collection settings live in accounts.settings.collection; unset keys take Stripe's defaults.
export async function findCollectionSettings(
  db: Database,
  accountId: string,
): Promise<Partial<CollectionSettings>> {
  const row = (await db('accounts').where({ id: accountId }).first('settings')) as
    { settings: { collection?: Partial<CollectionSettings> } } | undefined;
  return row?.settings.collection ?? {};
}

export async function saveCollectionSettings(
  db: Database,
  accountId: string,
  settings: CollectionSettings,
): Promise<void> {
  await db('accounts')
    .where({ id: accountId })
    .update({
      settings: db.raw(`jsonb_set(settings, '{collection}', ?::jsonb)`, [JSON.stringify(settings)]),
    });
}
