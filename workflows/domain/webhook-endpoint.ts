// Webhook endpoints: the record, which events an endpoint receives, and the checks on what a
// caller may configure. Pure: the API validates with it, the delivery activity matches with it.
import { invalidRequest } from './errors';
import { EVENT_TYPES } from './event-types';
import type { Metadata } from './types';

export type WebhookEndpointStatus = 'enabled' | 'disabled';

export interface WebhookEndpointRecord {
  id: string; // we_...
  accountId: string;
  created: number;
  url: string;
  enabledEvents: string[];
  description: string | null;
  apiVersion: string | null;
  status: WebhookEndpointStatus;
  secret: string; // whsec_...: shown to the caller once, at creation
  deleted: boolean;
  metadata: Metadata;
}

// `*` stands for any run of characters, dots included: `*` is every event, `invoice.*` every
// invoice event (not `invoiceitem.*`), `customer.*` also `customer.subscription.created`.
function patternRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

export function matchesEnabledEvents(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) =>
    pattern.includes('*') ? patternRegExp(pattern).test(type) : pattern === type,
  );
}

// Every entry must name an event type Stripe knows, or be a pattern that matches at least one:
// a typo would otherwise subscribe to nothing, silently.
export function validateEnabledEvents(events: readonly string[]): string[] {
  if (events.length === 0) {
    throw invalidRequest(
      'enabled_events must contain at least one event type.',
      'parameter_invalid_empty',
      'enabled_events',
    );
  }
  for (const event of events) {
    const known = event.includes('*')
      ? EVENT_TYPES.some((type) => matchesEnabledEvents([event], type))
      : EVENT_TYPES.includes(event);
    if (!known) {
      throw invalidRequest(
        `Invalid enabled_events: '${event}' is not a valid event type. Use '*' or event types such as 'invoice.created' or 'invoice.*'.`,
        'parameter_invalid_string',
        'enabled_events',
      );
    }
  }
  return [...new Set(events)];
}

// Test mode, as Stripe's: http and https URLs (live mode would demand https).
export function validateWebhookUrl(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    throw invalidRequest(
      `Invalid URL: ${url}. URLs must begin with http:// or https://.`,
      'url_invalid',
      'url',
    );
  }
  return url;
}

// Stripe's version names: a date, optionally followed by a release name (2026-10-28.endive).
export function validateApiVersion(version: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(\.[a-z_]+)?$/.test(version)) {
    throw invalidRequest(`Invalid API version: ${version}`, 'parameter_invalid_string', 'api_version');
  }
  return version;
}
