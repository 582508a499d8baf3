// The invoice state machine: one import for every transition. Each transition comes as
// assertCanX(state, command) (a pure check a Temporal update validator can run), applyX(state,
// command, now, ids) (assumes the check passed) and x(...) (both). Status values are Stripe's.
//
//   draft ──finalize──▶ open ──pay──▶ paid
//     │  (paid at once when nothing is due)  │
//     └─delete─▶ deleted      open ─mark_uncollectible─▶ uncollectible ─pay─▶ paid
//                             open/uncollectible ─void─▶ void
export * from './invoice-transition';
export * from './invoice-errors';
export * from './invoice-guards';
export * from './invoice-create';
export * from './invoice-update';
export * from './invoice-lines';
export * from './invoice-finalize';
export * from './invoice-payments';
export * from './invoice-close';
