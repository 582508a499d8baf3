// The least a workflow write can be on Temporal: a workflow that takes three updates (the shape
// of create, finalize, pay) and does nothing else but, optionally, upsert one search attribute
// per update as the invoice workflow does once per workflow task. No activity, no Postgres. The
// benchmark (bench/update-floor.ts) measures what Temporal, the SDK's worker and the client cost
// per update with none of our code in the way.
import {
  condition,
  defineSignal,
  defineUpdate,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';

export const FLOOR_WORKFLOW_TYPE = 'floorWorkflow';
export const stepUpdate = defineUpdate<number, [string]>('step');
export const closeSignal = defineSignal('close');

export interface FloorInput {
  upsertPerUpdate: boolean;
}

export async function floorWorkflow(input: FloorInput): Promise<number> {
  let steps = 0;
  let closed = false;
  setHandler(stepUpdate, (name: string) => {
    steps++;
    if (input.upsertPerUpdate) upsertSearchAttributes({ InvoiceStatus: [name] });
    return steps;
  });
  setHandler(closeSignal, () => {
    closed = true;
  });
  // Held open like an invoice waiting for its next deadline.
  await condition(() => closed);
  return steps;
}
