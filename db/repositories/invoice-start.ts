// What an invoice workflow starts with besides its draft: the account's collection settings,
// the customer's test clock (if any) and whether invoice.created has endpoints to wait for.
import type { Database } from '../connection';
import { findCollectionSettings } from './accounts';
import { findTestClock } from './test-clocks';
import { enabledWebhookEndpoints } from './webhook-endpoints';
import { withDefaults, type CollectionSettings } from '../../workflows/domain/collection-settings';
import type { CustomerRecord } from '../../workflows/domain/customer';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { matchesEnabledEvents } from '../../workflows/domain/webhook-endpoint';
import type { ClockBinding } from '../../workflows/messages';

export interface InvoiceStart {
  settings: CollectionSettings;
  clock: ClockBinding | null;
  awaitingWebhooks: boolean;
}

// `clock` is given by a subscription making an invoice in its own (test clock) time, which may
// be in the middle of an advance the invoice then joins.
export async function invoiceStartFor(
  db: Database,
  accountId: string,
  customer: CustomerRecord,
  clockOverride?: ClockBinding | null,
): Promise<InvoiceStart> {
  const [stored, endpoints] = await Promise.all([
    findCollectionSettings(db, accountId),
    enabledWebhookEndpoints(db, accountId),
  ]);
  let clock: ClockBinding | null = clockOverride ?? null;
  if (clockOverride === undefined && customer.testClockId) {
    const testClock = await findTestClock(db, accountId, customer.testClockId);
    if (!testClock) throw resourceMissing('test_clock', customer.testClockId, 'customer');
    // An invoice made mid-advance would miss the advance's wake-up call: refuse, as Stripe does.
    if (testClock.status === 'advancing') {
      throw invalidRequest(
        `The test clock ${testClock.id} is advancing. Try again once its status is ready.`,
        undefined,
        'customer',
      );
    }
    clock = { clockId: testClock.id, frozenTime: testClock.frozenTime };
  }
  return {
    settings: withDefaults(stored),
    clock,
    awaitingWebhooks: endpoints.some((endpoint) =>
      matchesEnabledEvents(endpoint.enabledEvents, 'invoice.created'),
    ),
  };
}
