// expand[]: replace an id with the object it names. Each resource lists the paths it supports;
// an unsupported path is refused as Stripe refuses it.
import { invalidRequest } from '../../workflows/domain/errors';

export type Expander<T> = (object: T) => Promise<void>;

export async function applyExpansions<T>(
  object: T,
  requested: string[] | undefined,
  expanders: Record<string, Expander<T>>,
): Promise<T> {
  for (const path of requested ?? []) {
    const expander = expanders[path];
    if (!expander) {
      throw invalidRequest(`This property cannot be expanded (${path}).`, undefined, 'expand');
    }
    await expander(object);
  }
  return object;
}
