// The token in the path is the capability to pay; this only refuses a form posted from another
// site (a page elsewhere submitting to us), using what browsers send with every POST:
// Sec-Fetch-Site where the browser has it, else Origin. A request with neither is not from a
// browser page (curl, a server): the token alone decides.
import type { Request } from 'express';
import { originOf } from './public-url';

export function isCrossSitePost(req: Request, publicUrl: string | null): boolean {
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = req.get('origin');
  if (!origin) return false;
  const allowed = new Set([originOf(req)]);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return !allowed.has(origin);
}
