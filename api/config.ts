import { DEFAULT_UPDATE_BUDGET_MS } from '../workflows/client/update-retry';
import { rateLimitConfigFromEnv, type RateLimitConfig } from './stripe/rate-limit';
import { webhookUrlPolicyFromEnv } from '../worker/config';
import type { WebhookUrlPolicy, WebhookUrlPolicyMode } from '../workflows/domain/webhook-url-policy';

export interface ApiConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
  rateLimit?: RateLimitConfig; // absent: no limit
  publicUrl?: string; // base of the hosted invoice pages; absent: each request's own origin
  // How long a write waits for its invoice (or subscription, or test clock) before Stripe's 429
  // lock_timeout: behind the writes to the same object, and while Temporal refuses it.
  updateWaitMs?: number;
  // Which webhook URLs are taken (WEBHOOK_URL_POLICY); absent: permissive.
  webhookUrlPolicy?: WebhookUrlPolicy;
}

// The standalone API is production (strict webhook URLs); `npm start` passes 'permissive'.
export function apiConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  webhookUrlPolicy: WebhookUrlPolicyMode = 'strict',
): ApiConfig {
  return {
    webhookUrlPolicy: webhookUrlPolicyFromEnv(webhookUrlPolicy, env),
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 4242),
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 1024 * 1024),
    rateLimit: rateLimitConfigFromEnv(env),
    // The worker links the same pages (activities/email-config.ts): same variable, same default.
    updateWaitMs: Number(env.UPDATE_WAIT_MS ?? DEFAULT_UPDATE_BUDGET_MS),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT ?? 4242}`).replace(/\/+$/, ''),
  };
}
