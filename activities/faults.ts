// Fault injection for the crash tests: a worker started with INVOICING_FAULT=<point> stops dead
// at that point (after writing INVOICING_FAULT_MARKER, so the test knows it is there) and waits
// to be killed. Without the variable every point is a no-op.
import fs from 'node:fs';

export type FaultPoint =
  | 'finalizeInvoice:after-commit'
  | 'chargeInvoice:after-charge'
  | 'confirmPaymentIntent:after-charge'
  | 'persistInvoice:after-refund'
  | 'deliverWebhook:after-send';

export interface Faults {
  reach(point: FaultPoint): Promise<void>;
}

export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Faults | undefined {
  const armed = env.INVOICING_FAULT;
  if (!armed) return undefined;
  const marker = env.INVOICING_FAULT_MARKER;
  return {
    async reach(point) {
      if (point !== armed) return;
      if (marker) fs.writeFileSync(marker, `${point} ${process.pid}\n`);
      await new Promise<never>(() => undefined);
    },
  };
}
