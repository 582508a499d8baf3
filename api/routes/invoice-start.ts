// What an invoice workflow starts with besides its draft: the account's collection settings,
// the customer's test clock (if any) and whether invoice.created has endpoints to wait for.
import type { Database } from '../../db/connection';
import { findCollectionSettings } from '../../db/repositories/accounts';
import { findTestClock } from '../../db/repositories/test-clocks';
import { enabledWebhookEndpoints } from '../../db/repositories/webhook-endpoints';
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

export async function invoiceStartFor(
  db: Database,
  accountId: string,
  customer: CustomerRecord,
): Promise<InvoiceStart> {
  const [stored, endpoints] = await Promise.all([
    findCollectionSettings(db, accountId),
    enabledWebhookEndpoints(db, accountId),
  ]);
  let clock: ClockBinding | null = null;
  if (customer.testClockId) {
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
