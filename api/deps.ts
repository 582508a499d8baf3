// What the app and each of its routers are built from. A module of its own so that a router can
// name it without importing app.ts, which imports every router in turn.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection';
import type { WebhookUrlPolicy } from '../workflows/domain/webhook-url-policy';
import type { ReadinessCheck } from '../worker/health';
import type { Logger } from './logger';
import type { RateLimitConfig } from './stripe/rate-limit';

export interface AppDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  maxBodyBytes?: number;
  logger?: Logger; // default: pino at LOG_LEVEL (info) on stdout
  rateLimit?: RateLimitConfig; // default: no limit (tests); the servers pass RATE_LIMIT_* from env
  publicUrl?: string; // base of hosted_invoice_url (PUBLIC_URL); default: the origin each request used
  webhookUrlPolicy?: WebhookUrlPolicy; // which webhook URLs are taken; default: permissive
  readinessChecks?: ReadinessCheck[]; // besides Postgres and Temporal (npm start: its worker)
}
