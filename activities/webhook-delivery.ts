// Webhook delivery's side effects: choosing an event's endpoints, and one attempt to POST the
// event to one endpoint. An endpoint's refusal, error or timeout is an outcome the workflow
// schedules a retry for, not an activity failure; only database faults throw (and are retried).
import type { ActivityDeps } from './deps';
import {
  cancelDelivery,
  loadDeliveryTarget,
  planEventDelivery,
  recordDeliveryFailure,
  recordDeliverySuccess,
  type DeliveryPlan,
} from '../db/repositories/webhook-deliveries';
import type { DeliverWebhookInput, DeliveryAttemptResult } from '../workflows/delivery-messages';
import { signatureHeader } from './webhook-signature';
import { deliveryGuard, RefusedAddressError } from './webhook-delivery-guard';
import type { WebhookUrlPolicy } from '../workflows/domain/webhook-url-policy';
import http from 'node:http';
import { webhookDeliveries, webhookDeliverySeconds } from './metrics';
import https from 'node:https';

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

// 2xx is success; a redirect is not followed (Stripe counts it as a failure), nor is anything
// else, and neither is no answer within the timeout. node:http rather than fetch, so the
// URL policy's lookup decides which address the socket connects to (webhook-delivery-guard.ts).
export async function postWebhook(
  url: string,
  payload: string,
  secret: string,
  policy: WebhookUrlPolicy = { mode: 'permissive' },
): Promise<PostOutcome> {
  const target = new URL(url);
  const guard = deliveryGuard(target, policy);
  if (guard.refused) return { ok: false, statusCode: null, error: refusedText(guard.refused) };
  const signal = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
  const body = Buffer.from(payload, 'utf8');
  try {
    const statusCode = await new Promise<number>((resolve, reject) => {
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': body.length,
            'Stripe-Signature': signatureHeader(payload, secret, nowSeconds()),
            'User-Agent': WEBHOOK_USER_AGENT,
            'Cache-Control': 'no-cache',
          },
          lookup: guard.lookup,
          signal,
          agent: false, // one connection per attempt: nothing pooled across endpoints or checks
        },
        (response) => {
          // The answer's body is not needed: release the connection.
          response.resume();
          resolve(response.statusCode ?? 0);
          response.on('error', () => undefined);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    const ok = statusCode >= 200 && statusCode < 300;
    return { ok, statusCode, error: ok ? null : `HTTP ${statusCode}` };
  } catch (error) {
    if (signal.aborted) {
      return { ok: false, statusCode: null, error: `timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s` };
    }
    if (error instanceof RefusedAddressError) {
      return { ok: false, statusCode: null, error: refusedText(error.message) };
    }
    const code = (error as { code?: string }).code;
    return {
      ok: false,
      statusCode: null,
      error: code ?? (error instanceof Error ? error.message : String(error)),
    };
  }
}

const refusedText = (reason: string) => `refused by WEBHOOK_URL_POLICY=strict: ${reason}`;

export function createWebhookDeliveryActivities({ db, faults, webhookUrlPolicy }: ActivityDeps) {
  return {
    async planEventDelivery(input: { eventId: string }): Promise<DeliveryPlan | null> {
      return planEventDelivery(db, input.eventId, nowSeconds());
    },

    async deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryAttemptResult> {
      const { eventId, endpointId } = input;
      const target = await loadDeliveryTarget(db, eventId, endpointId);
      if (!target) return 'canceled';
      // A retry of an attempt whose outcome was already recorded: report it, do not re-send.
      if (target.status !== 'pending') return target.status;
      if (!target.endpointLive) {
        await cancelDelivery(db, eventId, endpointId, 'endpoint disabled or deleted');
        return 'canceled';
      }
      // The event as stored, pretty-printed as Stripe sends it; the signature covers these bytes.
      const payload = JSON.stringify(target.event, null, 2);
      const startedAt = process.hrtime.bigint();
      const outcome = await postWebhook(target.url, payload, target.secret, webhookUrlPolicy);
      const label = outcome.ok ? 'succeeded' : outcome.error?.startsWith('refused by') ? 'refused' : 'failed';
      webhookDeliveries.inc({ outcome: label });
      webhookDeliverySeconds.observe({ outcome: label }, Number(process.hrtime.bigint() - startedAt) / 1e9);
      await faults?.reach('deliverWebhook:after-send');
      if (outcome.ok) {
        await recordDeliverySuccess(db, eventId, endpointId, {
          statusCode: outcome.statusCode ?? 200,
          now: nowSeconds(),
        });
        return 'succeeded';
      }
      await recordDeliveryFailure(db, eventId, endpointId, {
        statusCode: outcome.statusCode,
        error: outcome.error ?? 'failed',
        nextAttemptAt: input.nextAttemptAt,
      });
      return input.nextAttemptAt === null ? 'failed' : 'retry';
    },
  };
}
