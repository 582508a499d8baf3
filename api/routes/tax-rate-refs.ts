// Tax rate ids named in a request (default_tax_rates, tax_rates) resolved to the account's own
// rates before anything is sent to a workflow: an unknown id, another account's, or an archived
// one is refused naming the parameter, and nothing changes.
import type { Database } from '../../db/connection';
import { findTaxRates } from '../../db/repositories/tax-rates';
import { invalidRequest } from '../../workflows/domain/errors';
import { assertAttachable, type TaxRateRecord } from '../../workflows/domain/tax-rate';
import { missingReference } from './catalog-writes';

// undefined stays undefined (not given); null or [] (Stripe's '' to unset) becomes [].
export async function resolveTaxRates(
  db: Database,
  accountId: string,
  ids: readonly string[] | null | undefined,
  param: string,
): Promise<TaxRateRecord[] | undefined> {
  if (ids === undefined) return undefined;
  if (ids === null || ids.length === 0) return [];
  const found = await findTaxRates(db, accountId, ids);
  const seen = new Set<string>();
  return ids.map((id, index) => {
    const at = `${param}[${index}]`;
    if (seen.has(id)) throw invalidRequest(`The tax rate ${id} is given more than once.`, undefined, at);
    seen.add(id);
    const rate = found.get(id);
    if (!rate) throw missingReference('tax rate', id, at);
    assertAttachable(rate, at);
    return rate;
  });
}
