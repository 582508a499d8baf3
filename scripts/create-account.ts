// `npm run create-account [name]`: a new account and its secret key (the last line printed).
import path from 'node:path';
import { connectDatabase, migrateToLatest } from '../db/connection';
import { openLocalDatabase } from './local-database';
import { createAccount } from '../db/repositories/accounts';

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'New account';
  const dataDir = path.resolve(__dirname, '..', process.env.DATA_DIR ?? '.data');
  const database = await openLocalDatabase(dataDir, (line) => console.log(line));
  const db = connectDatabase(database.url);
  try {
    await migrateToLatest(db);
    const { account, secretKey } = await createAccount(db, { name });
    console.log(`created account ${account.id} (${name})`);
    console.log(secretKey);
  } finally {
    await db.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
