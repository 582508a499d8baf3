import { fixtureFor, fixtureShapeMismatches } from '../../support/fixture-shape';

describe('fixtureShapeMismatches', () => {
  const fixture = fixtureFor('deleted_invoice') as Record<string, unknown>;

  it('accepts a body with every fixture key', () => {
    expect(fixtureShapeMismatches({ ...fixture, extra: 1 }, 'deleted_invoice')).toEqual([]);
  });

  it('reports a missing key by its path', () => {
    const rest = { ...fixture };
    delete rest.deleted;
    expect(fixtureShapeMismatches(rest, 'deleted_invoice')).toEqual([
      'deleted: missing (fixture has boolean)',
    ]);
  });

  it('reports a different JSON type', () => {
    expect(fixtureShapeMismatches({ ...fixture, deleted: 'yes' }, 'deleted_invoice')).toEqual([
      'deleted: fixture has boolean, body has string',
    ]);
  });

  it('accepts null on either side and compares nested objects and first array elements', () => {
    const invoice = fixtureFor('invoice') as Record<string, unknown>;
    const body = JSON.parse(JSON.stringify(invoice)) as Record<string, unknown>;
    body.automatic_tax = null;
    body.customer = { id: 'cus_1', object: 'customer' }; // an expanded id
    const lines = body.lines as { data: Array<Record<string, unknown>> };
    delete lines.data[0]!.amount;
    (body.status_transitions as Record<string, unknown>).paid_at = 1234; // fixture has null
    expect(fixtureShapeMismatches(body, 'invoice')).toEqual([
      'lines.data[0].amount: missing (fixture has number)',
    ]);
  });

  it('refuses an unknown resource', () => {
    expect(() => fixtureFor('no_such_thing')).toThrow();
  });
});
