// Search pages (next_page, total_count, limit), account isolation, and hostile queries: SQL
// injection attempts come back as 400s or as plain (empty) results, and change nothing.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, rowCounts, stripeError } from '../support/stripe-helpers';

let stack: Stack;
let other: Awaited<ReturnType<Stack['newAccount']>>;
const created: Stripe.Customer[] = [];
const drafts: Stripe.Invoice[] = [];

beforeAll(async () => {
  stack = await startStack();
  for (let i = 0; i < 12; i++) {
    created.push(
      await stack.stripe.customers.create({ name: `Page Person ${i}`, email: `p${i}@pages.test` }),
    );
  }
  for (let i = 0; i < 5; i++)
    drafts.push(await draftWithLines(stack, [100 + i], { customer: created[0].id }));
  other = await stack.newAccount();
  const stranger = await other.stripe.customers.create({
    name: 'Page Person stranger',
    email: 's@pages.test',
  });
  await other.stripe.invoices.create({ customer: stranger.id, auto_advance: false });
});
afterAll(async () => {
  await stack?.stop();
});

const newestFirst = <T extends { id: string }>(objects: T[]) => objects.map((o) => o.id).reverse();

describe('pages', () => {
  it('returns 10 by default, newest first, with a next_page token', async () => {
    const page = await stack.stripe.customers.search({ query: 'name:"page person"' });
    expect(page.data.map((c) => c.id)).toEqual(newestFirst(created).slice(0, 10));
    expect(page.has_more).toBe(true);
    expect(page.next_page).toEqual(expect.any(String));
    expect(page).not.toHaveProperty('total_count');
  });

  it('walks every page with next_page, then answers next_page null', async () => {
    const seen: string[] = [];
    let page = await stack.stripe.customers.search({ query: 'email~"pages.test"', limit: 5 });
    for (;;) {
      seen.push(...page.data.map((c) => c.id));
      if (!page.has_more) break;
      page = await stack.stripe.customers.search({
        query: 'email~"pages.test"',
        limit: 5,
        page: page.next_page!,
      });
    }
    expect(seen).toEqual(newestFirst(created));
    expect(page.next_page).toBeNull();
  });

  it("works with the client's auto-pagination", async () => {
    const all = await stack.stripe.invoices
      .search({ query: 'total>=100', limit: 2 })
      .autoPagingToArray({ limit: 50 });
    expect(all.map((i) => i.id)).toEqual(newestFirst(drafts));
  });

  it('counts every match with expand[]=total_count', async () => {
    const page = await stack.stripe.invoices.search({
      query: 'total>100',
      limit: 2,
      expand: ['total_count'],
    });
    expect(page).toMatchObject({ total_count: 4, has_more: true });
    expect(page.data).toHaveLength(2);
    const none = await stack.stripe.invoices.search({ query: 'total>100000', expand: ['total_count'] });
    expect(none).toMatchObject({ data: [], total_count: 0, has_more: false, next_page: null });
  });

  it.each([0, 101])('refuses limit=%i', async (limit) => {
    const error = await stripeError(stack.stripe.invoices.search({ query: 'total>0', limit }));
    expect(error).toMatchObject({ statusCode: 400, param: 'limit' });
  });

  it('refuses an expansion it does not have', async () => {
    const error = await stripeError(
      stack.stripe.customers.search({ query: 'name:"x"', expand: ['data.test_clock'] }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'expand' });
  });

  describe('a page token that is not ours', () => {
    const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    it.each([
      ['garbage', 'not a token!'],
      ['bad base64', 'AAAA'],
      ['not JSON', Buffer.from('{s:1').toString('base64url')],
      ['a string seq', token({ s: '5', q: 'x' })],
      ['a negative seq', token({ s: -1, q: 'x' })],
      ['extra fields', token({ s: 5, q: 'x', a: 1 })],
      ['an array', token([5])],
      ['too long', 'A'.repeat(300)],
    ])('refuses %s with 400 naming page', async (_name, page) => {
      const error = await stripeError(stack.stripe.invoices.search({ query: 'total>0', page }));
      expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'page' });
    });

    it('refuses a token from another query, or from customer search', async () => {
      const first = await stack.stripe.customers.search({ query: 'name:"page person"', limit: 1 });
      const elsewhere = [
        stack.stripe.customers.search({ query: 'name:"person"', page: first.next_page! }),
        stack.stripe.invoices.search({ query: 'total>0', page: first.next_page! }),
      ];
      for (const request of elsewhere) {
        const error = await stripeError(request);
        expect(error).toMatchObject({ statusCode: 400, param: 'page' });
        expect(error.message).toMatch(/different query/);
      }
    });
  });
});

describe('accounts', () => {
  it("never sees another account's customers or invoices", async () => {
    const mine = await stack.stripe.customers.search({ query: 'name:"stranger"' });
    expect(mine.data).toEqual([]);
    const theirs = await other.stripe.customers.search({ query: 'email~"pages.test"', limit: 100 });
    expect(theirs.data.map((c) => c.name)).toEqual(['Page Person stranger']);
    const theirInvoices = await other.stripe.invoices.search({ query: `customer:"${created[0].id}"` });
    expect(theirInvoices.data).toEqual([]);
    const allTheirs = await other.stripe.invoices.search({ query: 'total>=0', expand: ['total_count'] });
    expect(allTheirs.total_count).toBe(1);
  });

  it("gives nothing away with another account's page token", async () => {
    const first = await stack.stripe.customers.search({ query: 'name:"page person"', limit: 1 });
    // The token is only a position: the other account gets its own rows before it, if any.
    const page = await other.stripe.customers.search({ query: 'name:"page person"', page: first.next_page! });
    expect(page.data.filter((c) => created.some((mine) => mine.id === c.id))).toEqual([]);
  });
});

describe('hostile queries', () => {
  const tables = ['customers', 'invoices', 'events', 'accounts', 'api_keys'];
  const attempts = [
    `number:"'; drop table invoices; --"`,
    String.raw`number:"\"; drop table invoices; --"`,
    `status:"open' OR '1'='1"`,
    `status:"open" OR status:"x' or 1=1 --"`,
    `metadata["k'); drop table invoices; --"]:"x"`,
    `metadata["k"]:"x') OR 1=1 --"`,
    `-metadata["' || (select 1) || '"]:null`,
    `number~"%' OR 1=1 --"`,
    `number~"%%%"`,
    `number~"___"`,
    `number:"$$; drop table invoices; $$"`,
    String.raw`receipt_number:"\\'; select pg_sleep(5); --"`,
    `customer:"cus_x' union select * from api_keys --"`,
    `number:"(a+)+$ .* [[:alpha:]] \\1"`,
    `total>1; drop table invoices`,
    `total>1 -- comment`,
    `status:"open" /* comment */`,
    `total>1)); drop table invoices; --`,
    `number:"\u0000"`,
    `number:"日本語 🎉 ｓｅｌｅｃｔ \u202e\u0301"`,
    `number~"\u{1F600}\u{1F600}\u{1F600}"`,
    `${'status:"open" '.repeat(60)}`,
    `number:"${'a '.repeat(2000)}"`,
  ];

  it.each(attempts.map((query) => [query.slice(0, 60), query]))(
    '%s → 400 or no results',
    async (_label, query) => {
      const before = await rowCounts(stack, tables);
      let outcome: string;
      try {
        const result = await stack.stripe.invoices.search({ query, limit: 100 });
        outcome = `200 with ${result.data.length} results`;
      } catch (error) {
        const e = error as Stripe.errors.StripeError;
        outcome = `${e.statusCode} ${e.param}`;
      }
      expect(['200 with 0 results', '400 query']).toContain(outcome);
      expect(await rowCounts(stack, tables)).toEqual(before);
    },
  );

  it('refuses a query over 5000 characters', async () => {
    const error = await stripeError(stack.stripe.customers.search({ query: `name:"${'x'.repeat(5000)}"` }));
    expect(error).toMatchObject({ statusCode: 400, param: 'query' });
  });

  it('matches LIKE wildcards and quotes literally', async () => {
    const odd = await stack.stripe.customers.create({ name: "50% off_it's" });
    const found = await stack.stripe.customers.search({ query: String.raw`name~"% off_it\'"` });
    expect(found.data.map((c) => c.id)).toEqual([odd.id]);
    expect((await stack.stripe.customers.search({ query: 'name~"0_o"' })).data).toEqual([]);
    await stack.stripe.customers.del(odd.id);
  });
});
