type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

// Waits for a condition instead of sleeping and hoping: polls until `check` returns something
// truthy (and returns it), or fails with `what` after the deadline.
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'the condition',
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
