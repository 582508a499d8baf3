import {
  holdKey,
  newUpdateIdScope,
  runInUpdateIdScope,
  updateIdFor,
} from '../../../workflows/client/update-ids';

function idsOf(generation: number | null, workflows: string[]): Promise<string[]> {
  const scope = newUpdateIdScope();
  if (generation !== null) holdKey(scope, 'acct_1', 'key-1', generation);
  return new Promise((resolve) => {
    runInUpdateIdScope(scope, () => {
      // Across an await, as a route sends its updates.
      void Promise.resolve().then(() => resolve(workflows.map((workflow) => updateIdFor(workflow))));
    });
  });
}

describe('update ids', () => {
  describe('when the request holds an idempotency key', () => {
    it('gives a retry of the request the same ids, in the same order', async () => {
      const workflows = ['invoice/in_1', 'invoice/in_1', 'invoice/in_2'];
      const first = await idsOf(1, workflows);
      expect(await idsOf(1, workflows)).toEqual(first);
      expect(new Set(first).size).toBe(3);
    });

    it('gives the key a new life (a new generation) new ids', async () => {
      expect(await idsOf(2, ['invoice/in_1'])).not.toEqual(await idsOf(1, ['invoice/in_1']));
    });
  });

  describe('when the request has no key', () => {
    it('gives every update a random id', async () => {
      const [a] = await idsOf(null, ['invoice/in_1']);
      const [b] = await idsOf(null, ['invoice/in_1']);
      expect(a).not.toEqual(b);
      expect(updateIdFor('invoice/in_1')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
