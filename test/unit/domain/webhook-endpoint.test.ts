import { DomainError } from '../../../workflows/domain/errors';
import { EVENT_TYPES } from '../../../workflows/domain/event-types';
import {
  matchesEnabledEvents,
  validateEnabledEvents,
  validateWebhookUrl,
} from '../../../workflows/domain/webhook-endpoint';

function rejection(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('matchesEnabledEvents', () => {
  it('matches exact types, * and resource wildcards', () => {
    expect(matchesEnabledEvents(['invoice.created'], 'invoice.created')).toBe(true);
    expect(matchesEnabledEvents(['invoice.paid'], 'invoice.created')).toBe(false);
    expect(matchesEnabledEvents(['*'], 'invoiceitem.created')).toBe(true);
    expect(matchesEnabledEvents(['invoice.*'], 'invoice.payment_failed')).toBe(true);
    expect(matchesEnabledEvents(['customer.*'], 'customer.subscription.created')).toBe(true);
  });

  it('does not let a wildcard spill into a neighbouring resource or treat dots loosely', () => {
    expect(matchesEnabledEvents(['invoice.*'], 'invoiceitem.created')).toBe(false);
    expect(matchesEnabledEvents(['customer.*'], 'invoice.created')).toBe(false);
    expect(matchesEnabledEvents(['invoice.created'], 'invoiceXcreated')).toBe(false);
    expect(matchesEnabledEvents([], 'invoice.created')).toBe(false);
  });
});

describe('validateEnabledEvents', () => {
  it('accepts known types, * and patterns that match something, without duplicates', () => {
    expect(validateEnabledEvents(['invoice.created', 'invoice.created', 'customer.*', '*'])).toEqual([
      'invoice.created',
      'customer.*',
      '*',
    ]);
  });

  it.each([['invoice.bogus'], ['bogus.*'], ['invoice'], ['']])('refuses %j naming enabled_events', (type) => {
    const error = rejection(() => validateEnabledEvents([type]));
    expect(error.data).toMatchObject({ status: 400, param: 'enabled_events' });
  });

  it('refuses an empty list', () => {
    expect(rejection(() => validateEnabledEvents([])).data.param).toBe('enabled_events');
  });

  it('knows every type the stripe package lists, and the ones this service emits', () => {
    expect(EVENT_TYPES).toHaveLength(new Set(EVENT_TYPES).size);
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(['invoice.created', 'invoiceitem.created']));
  });
});

describe('validateWebhookUrl', () => {
  it('accepts http and https URLs', () => {
    expect(validateWebhookUrl('https://example.com/hook')).toBe('https://example.com/hook');
    expect(validateWebhookUrl('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080/x');
  });

  it.each([['ftp://example.com'], ['example.com/hook'], ['not a url'], ['javascript:alert(1)']])(
    'refuses %j naming url',
    (url) => {
      expect(rejection(() => validateWebhookUrl(url)).data).toMatchObject({ status: 400, param: 'url' });
    },
  );
});
