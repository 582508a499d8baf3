import fc from 'fast-check';
import {
  applyCustomerBalance,
  belowMinimumCharge,
  computeTotals,
  finalizedAmounts,
} from '../../../workflows/domain/totals';
import { finalize, paymentSucceeded } from '../../../workflows/domain/invoice';
import { draftInvoice, finalizeCommand, line, NOW, sequentialIds } from './support';

describe('computeTotals', () => {
  describe('for a draft', () => {
    it('sums the lines into subtotal and total, all of it due', () => {
      const totals = computeTotals(draftInvoice({ lines: [line({ amount: 1000 }), line({ amount: 250 })] }));
      expect(totals).toEqual({
        subtotal: 1250,
        total: 1250,
        amountDue: 1250,
        amountPaid: 0,
        amountRemaining: 1250,
        amountOverpaid: 0,
        startingBalance: 0,
        endingBalance: null,
      });
    });

    it('never shows a negative amount due for a credit invoice', () => {
      const totals = computeTotals(draftInvoice({ lines: [line({ amount: -500 })] }));
      expect(totals.total).toBe(-500);
      expect(totals.amountDue).toBe(0);
    });

    it('is zero for an invoice without lines', () => {
      expect(computeTotals(draftInvoice({ lines: [] }))).toMatchObject({
        subtotal: 0,
        total: 0,
        amountDue: 0,
      });
    });
  });

  describe('after finalization', () => {
    const finalized = (amounts: number[], balance: number, currency = 'usd') => {
      const ids = sequentialIds();
      const draft = draftInvoice({ currency, lines: amounts.map((amount) => line({ amount })) }, ids);
      return finalize(draft, finalizeCommand({ customerBalance: balance }), NOW, ids).state;
    };

    it('applies credit smaller than the total', () => {
      expect(computeTotals(finalized([1000], -300))).toMatchObject({
        total: 1000,
        startingBalance: -300,
        endingBalance: 0,
        amountDue: 700,
        amountRemaining: 700,
      });
    });

    it('keeps the rest of a credit larger than the total on the customer', () => {
      expect(computeTotals(finalized([1000], -3000))).toMatchObject({
        startingBalance: -3000,
        endingBalance: -2000,
        amountDue: 0,
        amountRemaining: 0,
      });
    });

    it('adds a positive balance (debt) to what is due', () => {
      expect(computeTotals(finalized([1000], 500))).toMatchObject({
        startingBalance: 500,
        endingBalance: 0,
        amountDue: 1500,
      });
    });

    it('turns a negative total into credit for the customer', () => {
      expect(computeTotals(finalized([-500], 0))).toMatchObject({
        total: -500,
        endingBalance: -500,
        amountDue: 0,
      });
    });

    it('carries an amount below the minimum charge to the balance', () => {
      expect(computeTotals(finalized([30], 0))).toMatchObject({ total: 30, amountDue: 0, endingBalance: 30 });
    });

    it('counts zero-decimal currencies in whole units', () => {
      expect(computeTotals(finalized([1500], -200, 'jpy'))).toMatchObject({
        amountDue: 1300,
        endingBalance: 0,
      });
      expect(computeTotals(finalized([49], 0, 'jpy'))).toMatchObject({ amountDue: 0, endingBalance: 49 });
    });

    it('reports money paid beyond what was due as overpaid', () => {
      const ids = sequentialIds();
      const open = finalized([1000], 0);
      const paid = paymentSucceeded(open, { amount: 1200, outOfBand: true }, NOW, ids).state;
      expect(computeTotals(paid)).toMatchObject({
        amountDue: 1000,
        amountPaid: 1200,
        amountRemaining: 0,
        amountOverpaid: 200,
      });
    });
  });
});

describe('applyCustomerBalance', () => {
  it.each([
    // total, balance → starting, ending, due, change
    [1000, 0, 0, 0, 1000, 0],
    [1000, -300, -300, 0, 700, 300],
    [1000, -3000, -3000, -2000, 0, 1000],
    [1000, 500, 500, 0, 1500, -500],
    [-500, 0, 0, -500, 0, -500],
    [-200, 500, 500, 0, 300, -500],
    [0, 0, 0, 0, 0, 0],
  ])(
    'total %i with balance %i',
    (total, balance, startingBalance, endingBalance, amountDue, balanceChange) => {
      expect(applyCustomerBalance(total, balance)).toEqual({
        startingBalance,
        endingBalance,
        amountDue,
        balanceChange,
      });
    },
  );
});

describe('belowMinimumCharge', () => {
  it('is true only strictly between zero and the currency minimum', () => {
    expect(belowMinimumCharge(0, 'usd')).toBe(false);
    expect(belowMinimumCharge(1, 'usd')).toBe(true);
    expect(belowMinimumCharge(49, 'usd')).toBe(true);
    expect(belowMinimumCharge(50, 'usd')).toBe(false);
    expect(belowMinimumCharge(29, 'gbp')).toBe(true);
    expect(belowMinimumCharge(30, 'gbp')).toBe(false);
    expect(belowMinimumCharge(399, 'hkd')).toBe(true);
  });
});

describe('finalizedAmounts', () => {
  it('marks a zero amount due as paid at once, with nothing carried', () => {
    expect(finalizedAmounts(1000, -1000, 'usd')).toMatchObject({
      amountDue: 0,
      paidAtOnce: true,
      carriedToBalance: 0,
    });
  });

  it('carries what credit leaves under the minimum', () => {
    expect(finalizedAmounts(1000, -980, 'usd')).toEqual({
      startingBalance: -980,
      endingBalance: 20,
      amountDue: 0,
      balanceChange: 980,
      carriedToBalance: 20,
      paidAtOnce: true,
    });
  });
});

describe('totals invariants', () => {
  const amounts = fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 20 });
  const balance = fc.integer({ min: -5_000_000, max: 5_000_000 });
  const currency = fc.constantFrom('usd', 'gbp', 'jpy', 'hkd', 'krw', 'eur');

  it('balance application conserves money and never makes amount_due negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5_000_000, max: 5_000_000 }),
        balance,
        currency,
        (total, before, code) => {
          const money = finalizedAmounts(total, before, code);
          expect(money.amountDue).toBeGreaterThanOrEqual(0);
          expect(money.endingBalance).toBe(before + money.balanceChange + money.carriedToBalance);
          expect(money.startingBalance + total).toBe(money.amountDue + money.endingBalance);
          expect(belowMinimumCharge(money.amountDue, code)).toBe(false);
        },
      ),
    );
  });

  it('hold for any finalized invoice and any payments', () => {
    fc.assert(
      fc.property(
        amounts,
        balance,
        currency,
        fc.array(fc.integer({ min: 1, max: 2_000_000 }), { maxLength: 4 }),
        (lineAmounts, before, code, payments) => {
          const ids = sequentialIds();
          const draft = draftInvoice(
            { currency: code, lines: lineAmounts.map((amount) => line({ amount })) },
            ids,
          );
          const draftTotals = computeTotals(draft);
          expect(draftTotals.subtotal).toBe(lineAmounts.reduce((sum, amount) => sum + amount, 0));
          expect(draftTotals.amountDue).toBe(Math.max(0, draftTotals.total));

          const finalized = finalize(draft, finalizeCommand({ customerBalance: before }), NOW, ids);
          let state = finalized.state;
          const recorded = finalized.balanceTransactions.reduce((sum, txn) => sum + txn.amount, 0);
          expect(before + recorded).toBe(state.endingBalance);

          for (const amount of payments) {
            if (state.status !== 'open') break;
            state = paymentSucceeded(state, { amount, outOfBand: true }, NOW, ids).state;
          }
          const totals = computeTotals(state);
          expect(totals.subtotal).toBe(totals.total);
          expect(totals.amountDue).toBeGreaterThanOrEqual(0);
          expect(totals.startingBalance + totals.total).toBe(totals.amountDue + (totals.endingBalance ?? 0));
          if (totals.amountOverpaid === 0) {
            expect(totals.amountRemaining).toBe(totals.amountDue - totals.amountPaid);
          } else {
            expect(totals.amountRemaining).toBe(0);
            expect(totals.amountOverpaid).toBe(totals.amountPaid - totals.amountDue);
          }
          expect(state.status === 'paid').toBe(totals.amountRemaining === 0);
        },
      ),
    );
  });
});
