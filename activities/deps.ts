// What every activity is built from. A module of its own so that each activity file can name it
// without importing index.ts, which imports every activity file in turn.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection';
import type { Faults } from './faults';
import type { WebhookUrlPolicy } from '../workflows/domain/webhook-url-policy';
import type { CustomerFacingConfig } from './email-config';

export interface ActivityDeps {
  db: Database;
  // Only activities that start workflows (event dispatch) use these.
  temporal?: Client;
  taskQueue?: string;
  // Crash tests only: points where a worker stops dead (activities/faults.ts).
  faults?: Faults;
  // Hosted page links and email (activities/email-config.ts); absent: from the environment.
  customerFacing?: CustomerFacingConfig;
  // Where webhooks may go (WEBHOOK_URL_POLICY); absent: permissive.
  webhookUrlPolicy?: WebhookUrlPolicy;
}
