// Webhook endpoint rows. Deletion is soft: delivery rows keep pointing at the endpoint, and a
// delivery that is still retrying sees `deleted` and stops.
import type { Knex } from 'knex';
import type { WebhookEndpointRecord } from '../../workflows/domain/webhook-endpoint';
import type { Database } from '../connection';
import { prepared } from '../prepared-statements';

type Executor = Database | Knex.Transaction;

export interface WebhookEndpointRow {
  seq: number;
  id: string;
  account_id: string;
  created: number;
  url: string;
  enabled_events: string[];
  description: string | null;
  api_version: string | null;
  status: string;
  secret: string;
  deleted: boolean;
  metadata: Record<string, string>;
}

export function webhookEndpointFromRow(row: WebhookEndpointRow): WebhookEndpointRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    created: row.created,
    url: row.url,
    enabledEvents: row.enabled_events,
    description: row.description,
    apiVersion: row.api_version,
    status: row.status === 'disabled' ? 'disabled' : 'enabled',
    secret: row.secret,
    deleted: row.deleted,
    metadata: row.metadata,
  };
}

function changingColumns(endpoint: WebhookEndpointRecord) {
  return {
    url: endpoint.url,
    enabled_events: JSON.stringify(endpoint.enabledEvents),
    description: endpoint.description,
    status: endpoint.status,
    metadata: JSON.stringify(endpoint.metadata),
  };
}

export async function insertWebhookEndpoint(db: Executor, endpoint: WebhookEndpointRecord): Promise<void> {
  await db('webhook_endpoints').insert({
    id: endpoint.id,
    account_id: endpoint.accountId,
    created: endpoint.created,
    api_version: endpoint.apiVersion,
    secret: endpoint.secret,
    deleted: endpoint.deleted,
    ...changingColumns(endpoint),
  });
}

export async function findWebhookEndpoint(
  db: Executor,
  accountId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<WebhookEndpointRecord | null> {
  let query = db('webhook_endpoints').where({ account_id: accountId, id, deleted: false });
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.first()) as WebhookEndpointRow | undefined;
  return row ? webhookEndpointFromRow(row) : null;
}

export async function updateWebhookEndpoint(db: Executor, endpoint: WebhookEndpointRecord): Promise<void> {
  await db('webhook_endpoints')
    .where({ account_id: endpoint.accountId, id: endpoint.id })
    .update(changingColumns(endpoint));
}

// False when there was no such (undeleted) endpoint in the account.
export async function deleteWebhookEndpoint(db: Executor, accountId: string, id: string): Promise<boolean> {
  const updated = await db('webhook_endpoints')
    .where({ account_id: accountId, id, deleted: false })
    .update({ deleted: true });
  return updated > 0;
}

// The list's base query: the account's live endpoints (pagination adds order and cursor).
export function webhookEndpointsOf(db: Executor, accountId: string): Knex.QueryBuilder {
  return db('webhook_endpoints').where({ account_id: accountId, deleted: false });
}

export async function enabledWebhookEndpoints(
  db: Executor,
  accountId: string,
): Promise<WebhookEndpointRecord[]> {
  const rows = (await prepared(
    webhookEndpointsOf(db, accountId).andWhere({ status: 'enabled' }).orderBy('seq'),
  )) as WebhookEndpointRow[];
  return rows.map(webhookEndpointFromRow);
}
