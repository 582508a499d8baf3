// /v1/test_helpers/test_clocks: create, retrieve, list and delete read and write Postgres;
// advance goes through the clock's workflow, which alone moves its time.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { idForRequest } from '../stripe/idempotent-ids';
import {
  deleteTestClock,
  deleteTestClockInvoices,
  findTestClock,
  insertTestClock,
  testClockFromRow,
  type TestClockRow,
} from '../../db/repositories/test-clocks';
import { resourceMissing } from '../../workflows/domain/errors';
import { renderDeletedTestClock, renderTestClock } from '../../workflows/domain/render/test-clock';
import { newTestClock } from '../../workflows/domain/test-clock';
import { inputOf, route } from '../stripe/handler';
import { fetchPage, listObject, paginationFields } from '../stripe/list';
import { expandField, integer, parseParams, required, string, type Schema } from '../stripe/params';
import { advanceTestClockWorkflow, endTestClockWorkflows } from '../../workflows/client/test-clock-workflows';
import { clockSubscriptionIds, deleteClockSubscriptions } from '../../db/repositories/subscriptions';

const frozenTimeField = required(integer({ min: 0 }));

const createSchema = {
  frozen_time: frozenTimeField,
  name: string({ maxLength: 300 }),
  expand: expandField,
} satisfies Schema;
const advanceSchema = { frozen_time: frozenTimeField, expand: expandField } satisfies Schema;
const retrieveSchema = { expand: expandField } satisfies Schema;
const listSchema = { ...paginationFields, expand: expandField } satisfies Schema;

const PATH = '/test_helpers/test_clocks';

export function testClockRoutes({ db, temporal, taskQueue }: AppDeps): Router {
  const router = Router();

  async function existing(accountId: string, id: string) {
    const clock = await findTestClock(db, accountId, id);
    if (!clock) throw resourceMissing('test_clock', id);
    return clock;
  }

  router.post(
    PATH,
    route(async (ctx) => {
      const params = parseParams(createSchema, ctx.body);
      const clock = newTestClock({
        id: idForRequest('clock', ctx),
        accountId: ctx.account.id,
        created: Math.floor(Date.now() / 1000),
        frozenTime: params.frozen_time,
        name: params.name,
      });
      await insertTestClock(db, clock);
      return renderTestClock(clock);
    }),
  );

  router.get(
    `${PATH}/:id`,
    route(async (ctx) => {
      parseParams(retrieveSchema, inputOf(ctx));
      return renderTestClock(await existing(ctx.account.id, ctx.params.id));
    }),
  );

  router.get(
    PATH,
    route(async (ctx) => {
      const params = parseParams(listSchema, inputOf(ctx));
      const base = db('test_clocks').where({ account_id: ctx.account.id, deleted: false });
      const page = await fetchPage<TestClockRow>(base, params, 'test_clock');
      return listObject(
        `/v1${PATH}`,
        page.rows.map((row) => renderTestClock(testClockFromRow(row))),
        page.hasMore,
      );
    }),
  );

  // Answers at once with status 'advancing', as Stripe does; the clock turns 'ready' when every
  // workflow in its time has caught up. Refusals (backwards, already advancing) come from the
  // workflow's validator.
  router.post(
    `${PATH}/:id/advance`,
    route(async (ctx) => {
      const params = parseParams(advanceSchema, ctx.body);
      const clock = await existing(ctx.account.id, ctx.params.id);
      const advancing = await advanceTestClockWorkflow(temporal, taskQueue, clock, params.frozen_time);
      return renderTestClock(advancing);
    }),
  );

  // Stripe deletes everything attached to the clock: its customers, and here the invoices of
  // those customers, whose workflows end. The rows are marked first so nothing new attaches to
  // the clock while its workflows are being ended.
  router.delete(
    `${PATH}/:id`,
    route(async (ctx) => {
      parseParams({}, inputOf(ctx));
      const invoiceIds = await db.transaction((trx) => deleteTestClock(trx, ctx.account.id, ctx.params.id));
      if (invoiceIds === null) throw resourceMissing('test_clock', ctx.params.id);
      const subscriptionIds = await clockSubscriptionIds(db, ctx.account.id, ctx.params.id);
      await endTestClockWorkflows(temporal, ctx.params.id, invoiceIds, subscriptionIds);
      await deleteTestClockInvoices(db, ctx.account.id, ctx.params.id);
      // Stripe deletes the clock's customers, and their subscriptions with them.
      await deleteClockSubscriptions(db, ctx.account.id, ctx.params.id);
      return renderDeletedTestClock(ctx.params.id);
    }),
  );

  return router;
}
