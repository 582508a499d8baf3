// Shapes that every record uses, with no dependency of their own: the records an invoice holds
// (tax rates, coupons, discounts, credit notes) name them without importing ./types.ts, which
// holds those records in turn.
export type Metadata = Record<string, string>;

export interface Period {
  start: number;
  end: number;
}
