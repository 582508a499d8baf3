// HTML escaping for the hosted page and emails: the five characters that matter in text and
// in quoted attributes. (Mustache's default also escapes '/', '=' and '`', which turns links
// into entity soup in some mail clients' source views.)
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ENTITIES[char]);
}
