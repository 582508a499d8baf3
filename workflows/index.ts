// The workflow bundle's entry: every workflow type the worker runs.
export { invoiceWorkflow } from './invoice';
export { eventDeliveryWorkflow } from './delivery';
export { testClockWorkflow } from './test-clock';
export { subscriptionWorkflow } from './subscription';
