// The activities an invoice transition waits on (persist, finalize, claim items, charge). They
// run as local activities: in the workflow task that received the update, on the worker that
// runs the workflow, so a transition costs one workflow task instead of three Temporal round
// trips (workflow task → activity task → workflow task). Each is one idempotent Postgres
// transaction, short, and safe to run again if the workflow task is retried.
//
// Runs recorded before this change scheduled them as regular activities: `patched` keeps their
// replay exact (the old command where history has it), and every new command goes local. Runs
// of revision 1 and later (workflows/messages.ts) go local without asking.
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

export const LOCAL_TRANSITION_ACTIVITIES = 'invoice-local-activities';

// Postgres may be away for a while: keep retrying; every activity is idempotent. A short
// start-to-close timeout lets a crashed worker's activity be retried elsewhere quickly.
const retry = { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' };

const remote = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry });

// Retries within 5 s back off inside the workflow task; longer ones (a Postgres outage) wait on
// a timer, so the workflow task is not held open for the whole outage.
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '5 seconds',
  retry,
});

export type TransitionActivities = Pick<
  Activities,
  | 'persistInvoice'
  | 'finalizeInvoice'
  | 'claimPendingItems'
  | 'releaseClaimedItems'
  | 'chargeInvoice'
  | 'claimPaymentIntent'
  | 'confirmAttachedPaymentIntent'
  | 'completeAttachedPaymentAction'
  | 'cancelAttachedPaymentIntent'
  | 'captureAttachedPaymentIntent'
>;

export function transitionActivities(revised: boolean): TransitionActivities {
  const chosen = (): Activities => (revised || patched(LOCAL_TRANSITION_ACTIVITIES) ? local : remote);
  return {
    persistInvoice: (args) => chosen().persistInvoice(args),
    finalizeInvoice: (args) => chosen().finalizeInvoice(args),
    claimPendingItems: (args) => chosen().claimPendingItems(args),
    releaseClaimedItems: (args) => chosen().releaseClaimedItems(args),
    chargeInvoice: (args) => chosen().chargeInvoice(args),
    claimPaymentIntent: (args) => chosen().claimPaymentIntent(args),
    // Only runs that know these steps call them: always local.
    confirmAttachedPaymentIntent: (args) => local.confirmAttachedPaymentIntent(args),
    completeAttachedPaymentAction: (args) => local.completeAttachedPaymentAction(args),
    cancelAttachedPaymentIntent: (args) => local.cancelAttachedPaymentIntent(args),
    captureAttachedPaymentIntent: (args) => local.captureAttachedPaymentIntent(args),
  };
}
