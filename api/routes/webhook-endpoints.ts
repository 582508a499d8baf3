// /v1/webhook_endpoints: plain Postgres rows, scoped by account. The signing secret is made
// here and shown once, in the create response; deliveries read it from the row.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { newWebhookSecret } from '../../db/random-ids';
import { refusedWebhookUrl, type WebhookUrlPolicy } from '../../workflows/domain/webhook-url-policy';
import { idForRequest } from '../stripe/idempotent-ids';
import {
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  updateWebhookEndpoint,
  webhookEndpointFromRow,
  webhookEndpointsOf,
  type WebhookEndpointRow,
} from '../../db/repositories/webhook-endpoints';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import {
  renderDeletedWebhookEndpoint,
  renderWebhookEndpoint,
} from '../../workflows/domain/render/webhook-endpoint';
import {
  validateApiVersion,
  validateEnabledEvents,
  validateWebhookUrl,
  type WebhookEndpointRecord,
} from '../../workflows/domain/webhook-endpoint';
import { inputOf, route } from '../stripe/handler';
import { fetchPage, listObject, paginationFields } from '../stripe/list';
import {
  arrayOf,
  boolean,
  emptyable,
  expandField,
  metadata,
  parseParams,
  required,
  string,
  type Infer,
  type Schema,
} from '../stripe/params';
import { mergeMetadata } from './customers';

const eventsField = arrayOf(string({ maxLength: 200 }), { max: 500 });

const createSchema = {
  url: required(string({ maxLength: 2048 })),
  enabled_events: required(eventsField),
  api_version: string({ maxLength: 64 }),
  connect: boolean(),
  description: emptyable(string({ maxLength: 5000 })),
  metadata: metadata(),
  expand: expandField,
} satisfies Schema;

const updateSchema = {
  url: string({ maxLength: 2048 }),
  enabled_events: eventsField,
  description: emptyable(string({ maxLength: 5000 })),
  disabled: boolean(),
  metadata: metadata(),
  expand: expandField,
} satisfies Schema;

const retrieveSchema = { expand: expandField } satisfies Schema;
const listSchema = { ...paginationFields, expand: expandField } satisfies Schema;

// Stripe's own refusal of a URL it cannot reach from outside: url_invalid on `url`.
async function checkedUrl(url: string, policy: WebhookUrlPolicy): Promise<string> {
  const valid = validateWebhookUrl(url);
  const refused = await refusedWebhookUrl(valid, policy);
  if (refused) {
    throw invalidRequest(
      `Invalid URL: ${url}. URL must be publicly accessible (${refused}).`,
      'url_invalid',
      'url',
    );
  }
  return valid;
}

function applyUpdate(
  endpoint: WebhookEndpointRecord,
  params: Infer<typeof updateSchema>,
  url: string | undefined,
): WebhookEndpointRecord {
  const next = { ...endpoint };
  if (url !== undefined) next.url = url;
  if (params.enabled_events !== undefined) next.enabledEvents = validateEnabledEvents(params.enabled_events);
  if (params.description !== undefined) next.description = params.description;
  if (params.disabled !== undefined) next.status = params.disabled ? 'disabled' : 'enabled';
  if (params.metadata !== undefined) next.metadata = mergeMetadata(endpoint.metadata, params.metadata);
  return next;
}

export function webhookEndpointRoutes({ db, webhookUrlPolicy }: AppDeps): Router {
  const router = Router();
  const policy: WebhookUrlPolicy = webhookUrlPolicy ?? { mode: 'permissive' };

  router.post(
    '/webhook_endpoints',
    route(async (ctx) => {
      const params = parseParams(createSchema, ctx.body);
      // Connect endpoints receive connected accounts' events; this service has no Connect.
      if (params.connect) {
        throw invalidRequest('Connect webhook endpoints are not supported.', undefined, 'connect');
      }
      const url = await checkedUrl(params.url, policy);
      const endpoint: WebhookEndpointRecord = {
        id: idForRequest('we', ctx),
        accountId: ctx.account.id,
        created: Math.floor(Date.now() / 1000),
        url,
        enabledEvents: validateEnabledEvents(params.enabled_events),
        description: params.description ?? null,
        apiVersion: params.api_version === undefined ? null : validateApiVersion(params.api_version),
        status: 'enabled',
        secret: newWebhookSecret(),
        deleted: false,
        metadata: mergeMetadata({}, params.metadata ?? {}),
      };
      await insertWebhookEndpoint(db, endpoint);
      return renderWebhookEndpoint(endpoint, { includeSecret: true });
    }),
  );

  router.get(
    '/webhook_endpoints/:id',
    route(async (ctx) => {
      parseParams(retrieveSchema, inputOf(ctx));
      const endpoint = await findWebhookEndpoint(db, ctx.account.id, ctx.params.id);
      if (!endpoint) throw resourceMissing('webhook_endpoint', ctx.params.id);
      return renderWebhookEndpoint(endpoint);
    }),
  );

  router.post(
    '/webhook_endpoints/:id',
    route(async (ctx) => {
      const params = parseParams(updateSchema, ctx.body);
      // Resolved before the row is locked: a slow resolver never holds the lock.
      const url = params.url === undefined ? undefined : await checkedUrl(params.url, policy);
      return db.transaction(async (trx) => {
        const current = await findWebhookEndpoint(trx, ctx.account.id, ctx.params.id, { forUpdate: true });
        if (!current) throw resourceMissing('webhook_endpoint', ctx.params.id);
        const next = applyUpdate(current, params, url);
        await updateWebhookEndpoint(trx, next);
        return renderWebhookEndpoint(next);
      });
    }),
  );

  router.delete(
    '/webhook_endpoints/:id',
    route(async (ctx) => {
      parseParams({}, inputOf(ctx)); // unknown parameters are refused before anything is deleted
      if (!(await deleteWebhookEndpoint(db, ctx.account.id, ctx.params.id))) {
        throw resourceMissing('webhook_endpoint', ctx.params.id);
      }
      return renderDeletedWebhookEndpoint(ctx.params.id);
    }),
  );

  router.get(
    '/webhook_endpoints',
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      const page = await fetchPage<WebhookEndpointRow>(
        webhookEndpointsOf(db, ctx.account.id),
        params,
        'webhook_endpoint',
      );
      return listObject(
        '/v1/webhook_endpoints',
        page.rows.map((row) => renderWebhookEndpoint(webhookEndpointFromRow(row))),
        page.hasMore,
      );
    }),
  );

  return router;
}
