// Writes to one workflow leave this process one at a time, in arrival order, as Stripe takes the
// writes to one object under its lock. Temporal admits at most `history.maxInFlightUpdates` (10)
// updates per workflow at once, and refusing the eleventh clears the workflow's cached state in
// the history service: every update in flight is aborted and the speculative workflow task that
// carried some of them is dropped while a worker still runs it (./update-retry.ts says what
// follows). One update at a time per process stays far below that limit however many API
// processes there are, and each update rides a workflow task of its own.
import { lockTimeout } from './update-retry';

interface Line {
  busy: boolean;
  waiting: Array<{ admit: () => void; timer: NodeJS.Timeout }>;
}

export class WorkflowGate {
  private readonly lines = new Map<string, Line>();

  // Runs fn once every earlier write to the same workflow has finished; a write still waiting
  // when waitMs has passed is answered 429 lock_timeout, having changed nothing.
  async run<T>(workflowId: string, waitMs: number, fn: () => Promise<T>): Promise<T> {
    await this.enter(workflowId, waitMs);
    try {
      return await fn();
    } finally {
      this.leave(workflowId);
    }
  }

  // How many workflows have a write running or waiting in this process.
  get size(): number {
    return this.lines.size;
  }

  private enter(workflowId: string, waitMs: number): Promise<void> {
    const line = this.lines.get(workflowId);
    if (!line) {
      this.lines.set(workflowId, { busy: true, waiting: [] });
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const place = {
        admit: () => {
          clearTimeout(place.timer);
          resolve();
        },
        timer: setTimeout(() => {
          line.waiting.splice(line.waiting.indexOf(place), 1);
          reject(lockTimeout());
        }, waitMs),
      };
      line.waiting.push(place);
    });
  }

  private leave(workflowId: string): void {
    const line = this.lines.get(workflowId);
    if (!line) return;
    const next = line.waiting.shift();
    if (next) next.admit();
    else this.lines.delete(workflowId);
  }
}
