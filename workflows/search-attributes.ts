// Custom search attributes the invoice workflows keep current, so operators can filter
// invoices in the Temporal Web UI (e.g. InvoiceStatus = 'open' AND AmountDue > 10000).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const InvoiceStatus = defineSearchAttributeKey('InvoiceStatus', SearchAttributeType.KEYWORD);
export const CustomerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const AccountId = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const AmountDue = defineSearchAttributeKey('AmountDue', SearchAttributeType.INT);
export const Currency = defineSearchAttributeKey('Currency', SearchAttributeType.KEYWORD);
export const InvoiceNumber = defineSearchAttributeKey('InvoiceNumber', SearchAttributeType.KEYWORD);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [
  InvoiceStatus,
  CustomerId,
  AccountId,
  AmountDue,
  Currency,
  InvoiceNumber,
  NextDeadline,
];
