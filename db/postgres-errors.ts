// Postgres errors the callers act on, by SQLSTATE: any repository or route may meet them.

// A unique index refused the write (23505); `constraint` narrows it to one index.
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
