// Webhook delivery's side effects: choosing an event's endpoints, and one attempt to POST the
// event to one endpoint. An endpoint's refusal, error or timeout is an outcome the workflow
// schedules a retry for, not an activity failure; only database faults throw (and are retried).
import type { ActivityDeps } from '.';
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

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

// 2xx is success; a redirect is not followed (Stripe counts it as a failure), nor is anything
// else, and neither is no answer within the timeout.
export async function postWebhook(url: string, payload: string, secret: string): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Stripe-Signature': signatureHeader(payload, secret, nowSeconds()),
        'User-Agent': WEBHOOK_USER_AGENT,
        'Cache-Control': 'no-cache',
      },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    // The answer's body is not needed: release the connection.
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = timedOut
      ? `timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`
      : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return { ok: false, statusCode: null, error: reason };
  }
}

export function createWebhookDeliveryActivities({ db, faults }: ActivityDeps) {
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
      const outcome = await postWebhook(target.url, payload, target.secret);
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
