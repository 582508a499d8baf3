// What the outbox holds for an account's events, and whether an event got a delivery workflow:
// the two things the dispatcher and settling tests look at.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { deliveryWorkflowId } from '../../workflows/delivery-messages';

export interface EventDeliveryRow {
  id: string;
  type: string;
  delivery_started_at: number | null;
  webhooks_delivered_at: number | null;
}

export async function eventDeliveryRows(db: Knex, accountId: string): Promise<EventDeliveryRow[]> {
  return (await db('events')
    .where({ account_id: accountId })
    .orderBy('seq')
    .select('id', 'type', 'delivery_started_at', 'webhooks_delivered_at')) as EventDeliveryRow[];
}

export async function hasDeliveryWorkflow(temporal: Client, eventId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(deliveryWorkflowId(eventId)).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
