// Random walks through the state machine: whatever the order of commands, the invariants hold.
import fc from 'fast-check';
import { DomainError } from '../../../workflows/domain/errors';
import * as invoice from '../../../workflows/domain/invoice';
import { computeTotals } from '../../../workflows/domain/totals';
import type { InvoiceState, InvoiceStatus } from '../../../workflows/domain/types';
import { draftInvoice, finalizeCommand, line, NOW, sequentialIds } from './support';

type Op =
  | { kind: 'finalize'; balance: number }
  | { kind: 'pay'; amount: number; outOfBand: boolean }
  | { kind: 'payOutOfBand' }
  | { kind: 'fail' }
  | { kind: 'actionRequired' }
  | { kind: 'uncollectible' }
  | { kind: 'void' }
  | { kind: 'send' }
  | { kind: 'update'; description: string }
  | { kind: 'addLine'; amount: number }
  | { kind: 'removeFirst' }
  | { kind: 'delete' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('finalize' as const), balance: fc.integer({ min: -5000, max: 5000 }) }),
  fc.record({
    kind: fc.constant('pay' as const),
    amount: fc.integer({ min: 1, max: 3000 }),
    outOfBand: fc.boolean(),
  }),
  fc.constant({ kind: 'payOutOfBand' as const }),
  fc.constant({ kind: 'fail' as const }),
  fc.constant({ kind: 'actionRequired' as const }),
  fc.constant({ kind: 'uncollectible' as const }),
  fc.constant({ kind: 'void' as const }),
  fc.constant({ kind: 'send' as const }),
  fc.record({ kind: fc.constant('update' as const), description: fc.string({ maxLength: 5 }) }),
  fc.record({ kind: fc.constant('addLine' as const), amount: fc.integer({ min: -2000, max: 3000 }) }),
  fc.constant({ kind: 'removeFirst' as const }),
  fc.constant({ kind: 'delete' as const }),
);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function run(state: InvoiceState, step: Op, now: number, ids: ReturnType<typeof sequentialIds>) {
  switch (step.kind) {
    case 'finalize':
      return invoice.finalize(state, finalizeCommand({ customerBalance: step.balance }), now, ids);
    case 'pay':
      return invoice.paymentSucceeded(state, { amount: step.amount, outOfBand: step.outOfBand }, now, ids);
    case 'payOutOfBand':
      return invoice.payOutOfBand(state, {}, now, ids);
    case 'fail':
      return invoice.paymentFailed(state, { nextPaymentAttempt: now + 86_400 }, now, ids);
    case 'actionRequired':
      return invoice.paymentActionRequired(state, {}, now, ids);
    case 'uncollectible':
      return invoice.markUncollectible(state, {}, now, ids);
    case 'void':
      return invoice.voidInvoice(state, {}, now, ids);
    case 'send':
      return invoice.send(state, {}, now, ids);
    case 'update':
      return invoice.updateInvoice(state, { description: step.description }, now, ids);
    case 'addLine':
      return invoice.addLines(state, { lines: [line({ amount: step.amount })] }, now, ids);
    case 'removeFirst':
      return invoice.removeLines(
        state,
        { lines: [{ id: state.lines[0]?.id ?? 'il_none', behavior: 'delete' }] },
        now,
        ids,
      );
    case 'delete':
      return invoice.deleteDraft(state, {}, now, ids);
  }
}

const ALLOWED: Record<InvoiceStatus, InvoiceStatus[]> = {
  draft: ['draft', 'open', 'paid'],
  open: ['open', 'paid', 'uncollectible', 'void'],
  uncollectible: ['uncollectible', 'paid', 'void'],
  paid: ['paid'],
  void: ['void'],
};

describe('the invoice state machine', () => {
  it('keeps its invariants under any sequence of commands', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -2000, max: 5000 }), { maxLength: 4 }),
        fc.integer({ min: -5000, max: 5000 }),
        fc.array(op, { maxLength: 25 }),
        (amounts, startBalance, ops) => {
          const ids = sequentialIds();
          let state = deepFreeze(draftInvoice({ lines: amounts.map((amount) => line({ amount })) }, ids));
          let customerBalance = startBalance;
          let finalizations = 0;
          const eventIds = new Set<string>();

          ops.forEach((step, index) => {
            const now = NOW + index;
            const input = step.kind === 'finalize' ? { ...step, balance: customerBalance } : step;
            let outcome;
            try {
              outcome = run(state, input, now, ids);
            } catch (error) {
              // A refusal is a Stripe error and leaves nothing behind.
              expect(error).toBeInstanceOf(DomainError);
              expect([400, 404]).toContain((error as DomainError).data.status);
              return;
            }
            expect(outcome.state.version).toBe(state.version + 1);
            if (!state.deleted) expect(ALLOWED[state.status]).toContain(outcome.state.status);
            for (const e of outcome.events) {
              expect(eventIds.has(e.id)).toBe(false);
              eventIds.add(e.id);
              if (e.type === 'invoice.finalized') finalizations += 1;
            }
            for (const txn of outcome.balanceTransactions) customerBalance += txn.amount;
            state = deepFreeze(outcome.state);

            const totals = computeTotals(state);
            expect(totals.amountDue).toBeGreaterThanOrEqual(0);
            expect(totals.amountRemaining).toBeGreaterThanOrEqual(0);
            expect(totals.amountRemaining).toBe(Math.max(0, totals.amountDue - totals.amountPaid));
          });

          expect(finalizations).toBeLessThanOrEqual(1);
          const totals = computeTotals(state);
          if (state.status === 'draft') {
            expect(customerBalance).toBe(startBalance);
          } else if (state.status === 'void') {
            // Voiding gives back exactly what finalization took.
            expect(customerBalance).toBe(startBalance);
          } else {
            expect(customerBalance).toBe((totals.endingBalance ?? 0) - totals.amountOverpaid);
            expect(totals.startingBalance + totals.total).toBe(
              totals.amountDue + (totals.endingBalance ?? 0),
            );
          }
          if (state.status === 'paid') expect(totals.amountRemaining).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never applies a finalization twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5000, max: 5000 }), { maxLength: 5 }),
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.integer({ min: -10_000, max: 10_000 }),
        (amounts, firstBalance, secondBalance) => {
          const ids = sequentialIds();
          const draft = draftInvoice({ lines: amounts.map((amount) => line({ amount })) }, ids);
          const once = invoice.finalize(draft, finalizeCommand({ customerBalance: firstBalance }), NOW, ids);
          expect(() =>
            invoice.finalize(once.state, finalizeCommand({ customerBalance: secondBalance }), NOW + 1, ids),
          ).toThrow(DomainError);
          expect(firstBalance + once.balanceTransactions.reduce((sum, t) => sum + t.amount, 0)).toBe(
            once.state.endingBalance,
          );
        },
      ),
    );
  });

  it('runs every assertion without applying anything', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        const ids = sequentialIds();
        let state = deepFreeze(draftInvoice({}, ids));
        ops.forEach((step, index) => {
          try {
            state = deepFreeze(run(state, step, NOW + index, ids).state);
          } catch {
            // refused: the frozen state proves the refusal did not touch it
          }
        });
        const before = JSON.stringify(state);
        for (const check of [
          () => invoice.assertCanFinalize(state),
          () => invoice.assertCanVoid(state),
          () => invoice.assertCanMarkUncollectible(state),
          () => invoice.assertCanSend(state),
          () => invoice.assertCanPay(state),
          () => invoice.assertCanDelete(state),
          () => invoice.assertCanUpdate(state, { description: 'x' }),
          () => invoice.assertCanAddLines(state, { lines: [line()] }),
        ]) {
          try {
            check();
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
        }
        expect(JSON.stringify(state)).toBe(before);
      }),
    );
  });
});
