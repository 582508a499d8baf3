// Reading a workflow's history in tests: its event type names, and replaying it against the
// workflow bundle the tests run (a nondeterminism fails the replay).
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

export type History = temporal.api.history.v1.IHistory;

const eventTypeNames = new Map(
  Object.entries(temporal.api.enums.v1.EventType).map(([name, value]) => [value as number, name]),
);

export function eventTypes(history: History): string[] {
  return (history.events ?? []).map((event) => eventTypeNames.get(Number(event.eventType)) ?? '?');
}

export function replayHistory(workflowId: string, history: History): Promise<void> {
  return Worker.runReplayHistory(
    { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string } },
    history,
    workflowId,
  );
}

// How many UPSERT_WORKFLOW_SEARCH_ATTRIBUTES commands each completed workflow task wrote: the
// events from one WORKFLOW_TASK_COMPLETED up to the next task's scheduling are its commands.
export function upsertsPerWorkflowTask(history: History): number[] {
  const counts: number[] = [];
  let inTask = false;
  for (const type of eventTypes(history)) {
    if (type === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') {
      counts.push(0);
      inTask = true;
    } else if (type === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED') {
      inTask = false;
    } else if (inTask && type === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') {
      counts[counts.length - 1]++;
    }
  }
  return counts;
}
