// Migrations are listed here, not discovered from the folder, so they load the same way under
// tsx, jest and a bundler.
import type { Knex } from 'knex';
import * as foundation from './20261125_001_foundation';
import * as payments from './20261125_004_payments';
import * as invoiceTestClock from './20261125_006_invoice_test_clock';
import * as balanceTransactions from './20261125_002_balance_transactions';
import * as invoiceItems from './20261125_003_invoice_items';
import * as webhooks from './20261125_005_webhooks';
import * as testClocks from './20261125_007_test_clocks';
import * as searchIndexes from './20261125_008_search_indexes';
import * as idempotencyKeys from './20261125_009_idempotency_keys';
import * as productsPrices from './20261125_010_products_prices';
import * as subscriptions from './20261125_011_subscriptions';
import * as hostedTokens from './20261125_012_hosted_tokens';
import * as testClockAdvanceWorkflows from './20261125_013_test_clock_advance_workflows';
import * as bulkReminders from './20261204_014_bulk_reminders';
import * as eventBodyJson from './20261204_015_event_body_json';
import * as eventBodyUncompressed from './20261204_016_event_body_uncompressed';
import * as taxRates from './20261206_017_tax_rates';
import * as coupons from './20261206_018_coupons';
import * as creditNotes from './20261206_019_credit_notes';
import * as invoicePayments from './20261206_020_invoice_payments';
import * as paymentIntentLifecycle from './20261206_021_payment_intent_lifecycle';
import * as paymentMethods from './20261206_022_payment_methods';
import * as refunds from './20261206_023_refunds';
import * as paymentIntentClientSecret from './20261207_024_payment_intent_client_secret';
import * as pendingDeliveriesIndex from './20261207_025_pending_deliveries_index';

const MIGRATIONS: Record<string, Knex.Migration> = {
  '20261125_001_foundation': foundation,
  '20261125_004_payments': payments,
  '20261125_006_invoice_test_clock': invoiceTestClock,
  '20261125_002_balance_transactions': balanceTransactions,
  '20261125_003_invoice_items': invoiceItems,
  '20261125_005_webhooks': webhooks,
  '20261125_007_test_clocks': testClocks,
  '20261125_008_search_indexes': searchIndexes,
  '20261125_009_idempotency_keys': idempotencyKeys,
  '20261125_010_products_prices': productsPrices,
  '20261125_011_subscriptions': subscriptions,
  '20261125_012_hosted_tokens': hostedTokens,
  '20261125_013_test_clock_advance_workflows': testClockAdvanceWorkflows,
  '20261204_014_bulk_reminders': bulkReminders,
  '20261204_015_event_body_json': eventBodyJson,
  '20261204_016_event_body_uncompressed': eventBodyUncompressed,
  '20261206_017_tax_rates': taxRates,
  '20261206_018_coupons': coupons,
  '20261206_019_credit_notes': creditNotes,
  '20261206_020_invoice_payments': invoicePayments,
  '20261206_021_payment_intent_lifecycle': paymentIntentLifecycle,
  '20261206_022_payment_methods': paymentMethods,
  '20261206_023_refunds': refunds,
  '20261207_024_payment_intent_client_secret': paymentIntentClientSecret,
  '20261207_025_pending_deliveries_index': pendingDeliveriesIndex,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};
