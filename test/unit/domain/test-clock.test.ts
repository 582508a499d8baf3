import { DomainError } from '../../../workflows/domain/errors';
import { renderDeletedTestClock, renderTestClock } from '../../../workflows/domain/render/test-clock';
import {
  assertCanAdvance,
  deletesAfter,
  maximumAdvance,
  newTestClock,
  type TestClockRecord,
} from '../../../workflows/domain/test-clock';
import { expectStripeShape } from '../../support/stripe-shape';

const JAN_2030 = 1_893_456_000;

function clock(overrides: Partial<TestClockRecord> = {}): TestClockRecord {
  return {
    ...newTestClock({ id: 'clock_1', accountId: 'acct_1', created: 1_700_000_000, frozenTime: JAN_2030 }),
    ...overrides,
  };
}

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('assertCanAdvance', () => {
  it('accepts a later time', () => {
    expect(() => assertCanAdvance(clock(), JAN_2030 + 1)).not.toThrow();
  });

  describe('when the time is not later', () => {
    it('refuses with 400 naming frozen_time', () => {
      for (const target of [JAN_2030, JAN_2030 - 1]) {
        expect(refusal(() => assertCanAdvance(clock(), target)).data).toMatchObject({
          status: 400,
          type: 'invalid_request_error',
          param: 'frozen_time',
        });
      }
    });
  });

  describe('when the clock is advancing or failed', () => {
    it('refuses another advance', () => {
      for (const status of ['advancing', 'internal_failure'] as const) {
        expect(refusal(() => assertCanAdvance(clock({ status }), JAN_2030 + 60)).data.status).toBe(400);
      }
    });
  });

  describe('when the time is more than two years ahead', () => {
    it('refuses, as Stripe does for a clock without subscriptions', () => {
      expect(() => assertCanAdvance(clock(), maximumAdvance(JAN_2030))).not.toThrow();
      expect(refusal(() => assertCanAdvance(clock(), maximumAdvance(JAN_2030) + 1)).data.param).toBe(
        'frozen_time',
      );
    });
  });
});

describe('renderTestClock', () => {
  it("matches the stripe package's TestClock type, with deletes_after 30 days after creation", () => {
    const body = renderTestClock(clock());
    expectStripeShape(body);
    expect(body).toMatchObject({ status: 'ready', status_details: {}, name: null, livemode: false });
    expect(body.deletes_after).toBe(deletesAfter(clock()));
    expect(body.deletes_after - body.created).toBe(30 * 24 * 3600);
  });

  it('names the target while advancing', () => {
    const body = renderTestClock(clock({ status: 'advancing', targetFrozenTime: JAN_2030 + 60 }));
    expect(body.status_details).toEqual({ advancing: { target_frozen_time: JAN_2030 + 60 } });
    expect(body.frozen_time).toBe(JAN_2030);
  });

  it('renders a deleted clock', () => {
    expectStripeShape(renderDeletedTestClock('clock_1'));
  });
});
