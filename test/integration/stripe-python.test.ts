// The official stripe-python client (Debian's python3-stripe, version 5.0.0) against the API.
// Before version 8 it encodes booleans as `True`/`False`, as stripe-dotnet does: Stripe's v1
// API takes them in any letter case and refuses anything else (`1` included), and so do we.
// Every body the Python client received goes through the same schema check as the Node ones.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { recordStripeBody } from '../support/conformance';
import { startStack, type Stack } from '../support/stack';

const SCRIPT = path.resolve(__dirname, '..', 'support', 'python', 'stripe_client.py');
// Debian's python3-stripe lives in the system interpreter's dist-packages.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const available = spawnSync(PYTHON, ['-c', 'import stripe'], { stdio: 'ignore' }).status === 0;
if (!available && !process.env.CI) {
  console.warn('stripe-python is missing (apt-get install python3-stripe): its test is skipped');
}

interface Step {
  step: string;
  body?: { object?: string; [key: string]: unknown };
  error?: { type: string; status: number; param: string | null; message: string };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

(available || process.env.CI ? describe : describe.skip)('stripe-python 5', () => {
  let steps: Map<string, Step>;
  beforeAll(async () => {
    // Asynchronously: the API answering the script runs in this very process.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        PYTHON,
        [SCRIPT, stack.api.url, stack.secretKey],
        { timeout: 120_000 },
        (error, stdout, stderr) => resolve({ status: error ? 1 : 0, stdout, stderr }),
      );
    });
    if (run.status !== 0) throw new Error(`stripe_client.py failed:\n${run.stdout}\n${run.stderr}`);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Step);
    for (const line of lines) if (line.body) recordStripeBody(line.body, `stripe-python ${line.step}`);
    steps = new Map(lines.map((line) => [line.step, line]));
  });

  it('creates a draft with auto_advance=False', () => {
    expect(steps.get('invoice auto_advance=False')).toMatchObject({
      body: { object: 'invoice', status: 'draft', auto_advance: false },
    });
  });

  it('adds an item with discountable=False', () => {
    expect(steps.get('invoiceitem discountable=False')).toMatchObject({
      body: { object: 'invoiceitem', discountable: false, amount: 1500 },
    });
  });

  it('finalizes with auto_advance=True and pays with paid_out_of_band=True', () => {
    expect(steps.get('finalize auto_advance=True')).toMatchObject({
      body: { status: 'open', auto_advance: true, amount_due: 1500 },
    });
    expect(steps.get('pay paid_out_of_band=True')).toMatchObject({
      body: { status: 'paid', amount_paid: 1500 },
    });
  });

  it('takes True in a query string and False in a product body', () => {
    expect(steps.get('product shippable=False')).toMatchObject({ body: { shippable: false } });
    const list = steps.get('products active=True')!.body as { data: Array<{ active: boolean }> };
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.every((product) => product.active)).toBe(true);
  });

  it('refuses 1 as a boolean, naming the parameter', () => {
    expect(steps.get('invoice auto_advance=1')).toMatchObject({
      error: {
        type: 'InvalidRequestError',
        status: 400,
        param: 'auto_advance',
        message: 'Invalid boolean: 1',
      },
    });
  });
});
