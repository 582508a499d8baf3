// A FIFO mutex for update handlers. `await condition(() => !busy)` is not enough: two waiters
// can both see the lock free in one activation. Here the lock is handed to exactly one waiter.
export class Lock {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  get idle(): boolean {
    return !this.held;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.held = true;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.held = false;
    }
  }
}
