// What the worker needs to reach customers: the public base URL of the hosted invoice pages
// (links in webhooks' invoices and in emails) and where emails go.
import path from 'node:path';

export interface CustomerFacingConfig {
  // Read at each use: a test stack learns its API's port only after the worker exists.
  publicUrl: string;
  // The From header; the account's name is shown as its display name.
  emailFrom: string;
  // smtp://user:pass@host:port (or smtps://): emails go there. Null: written to outboxDir.
  smtpUrl: string | null;
  outboxDir: string;
}

export function customerFacingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CustomerFacingConfig {
  // Relative to the project, as `npm start` resolves DATA_DIR.
  const dataDir = path.resolve(__dirname, '..', env.DATA_DIR ?? '.data');
  return {
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT ?? 4242}`).replace(/\/+$/, ''),
    emailFrom: env.EMAIL_FROM || 'invoices@localhost',
    smtpUrl: env.SMTP_URL || null,
    outboxDir: path.resolve(env.EMAIL_OUTBOX_DIR ?? path.join(dataDir, 'outbox')),
  };
}
