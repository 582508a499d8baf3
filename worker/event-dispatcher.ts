// The long-running side of the events outbox: starts a delivery workflow for every event row
// that has none yet, whichever account or code path wrote it, so no caller has to remember to.
// It polls every ~200 ms and wakes at once on Postgres NOTIFY 'events_inserted' (a trigger on
// events sends it at commit). Any number of dispatchers may run: rows are claimed with SKIP
// LOCKED and workflow ids make a second start a no-op.
import type { Client } from '@temporalio/client';
import type { EventEmitter } from 'node:events';
import { deliveryScheduleFromEnv, startPendingDeliveries } from '../activities/event-dispatch';
import type { Database } from '../db/connection';
import type { DeliverySchedule } from '../workflows/domain/webhook-retry';

export interface EventDispatcherOptions {
  db: Database;
  temporal: Client;
  taskQueue: string;
  pollIntervalMs?: number;
  // After a NOTIFY, wait this long before the pass, so one pass takes the events of every commit
  // in that window (default 25 ms; see below).
  coalesceMs?: number;
  batchSize?: number;
  // Retry schedule of the workflows it starts; WEBHOOK_RETRY_* from the environment by default.
  schedule?: DeliverySchedule;
  log?: (line: string) => void;
}

export interface EventDispatcher {
  stop(): Promise<void>;
}

const CHANNEL = 'events_inserted';
const MAX_ERROR_BACKOFF_MS = 10_000;

type ListeningConnection = EventEmitter & { query(sql: string): Promise<unknown> };

export function startEventDispatcher(options: EventDispatcherOptions): EventDispatcher {
  const { db, temporal, taskQueue } = options;
  const pollMs = options.pollIntervalMs ?? 200;
  const coalesceMs = options.coalesceMs ?? 25;
  const batch = options.batchSize ?? 100;
  const schedule = options.schedule ?? deliveryScheduleFromEnv();
  const log = options.log ?? ((line: string) => console.log(line));

  let stopped = false;
  let woken = false;
  let wake: (() => void) | null = null;
  let listening: ListeningConnection | null = null;

  const notify = () => {
    woken = true;
    wake?.();
  };

  // A dedicated pool connection for LISTEN. Losing it only costs latency (polling goes on), so
  // it is re-established lazily and its failures are not fatal.
  async function ensureListening(): Promise<void> {
    if (listening || stopped) return;
    const connection = (await db.client.acquireConnection()) as ListeningConnection;
    const drop = () => {
      if (listening !== connection) return;
      listening = null;
      connection.removeListener('notification', notify);
      void Promise.resolve(db.client.releaseConnection(connection)).catch(() => undefined);
    };
    connection.on('notification', notify);
    connection.once('error', drop);
    connection.once('end', drop);
    listening = connection;
    try {
      await connection.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      drop();
      throw error;
    }
  }

  async function stopListening(): Promise<void> {
    const connection = listening;
    if (!connection) return;
    listening = null;
    connection.removeListener('notification', notify);
    await connection.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
    await Promise.resolve(db.client.releaseConnection(connection)).catch(() => undefined);
  }

  function pause(ms: number): Promise<void> {
    if (woken || stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      woken = false;
      try {
        await ensureListening().catch(() => undefined);
        // Drain: a full batch means there may be more behind it.
        while (
          !stopped &&
          (await startPendingDeliveries(db, temporal, taskQueue, batch, schedule)) === batch
        );
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 50 === 0) {
          log(`[dispatcher] starting deliveries failed (${failures}x): ${String(error)}`);
        }
      }
      await pause(failures === 0 ? pollMs : Math.min(MAX_ERROR_BACKOFF_MS, pollMs * 2 ** failures));
      // Every commit that writes events sends a NOTIFY. Passing at once on each one cost a pass
      // (six statements) per two events at 250 events/s; a short wait lets one pass take many
      // commits' events, for 25 ms more latency on webhooks that retry over days anyway.
      if (woken && !stopped) await new Promise((resolve) => setTimeout(resolve, coalesceMs));
    }
  }

  const running = run();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      await stopListening();
    },
  };
}
