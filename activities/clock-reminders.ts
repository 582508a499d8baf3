// The due-date reminders of a test clock advance, written in bulk before the clock wakes its
// invoices. Waking is one workflow task per invoice (tens per second on a small machine), so
// 10,000 invoices took minutes to send reminders that fell due at the same instant; here the
// reminders of a page of invoices are one statement. Each workflow, woken afterwards, reaches the
// same reminders in its own deadline loop and records them in its state; its copy of each event
// is dropped by the events' reminder key (workflows/domain/reminders.ts), so each is stored once.
// Only reminders are written here: a finalization or a payment attempt (and what follows it)
// stays with the workflow, as does the invoice's state.
import { heartbeat } from '@temporalio/activity';
import type { Database } from '../db/connection';
import { newId } from '../db/random-ids';
import { settledAtForAccount, type EventRow, type Settling } from '../db/repositories/events';
import { invoiceEventRows, insertEventRows } from '../db/repositories/invoices';
import { clockInvoicesForReminders } from '../db/repositories/test-clocks';
import { withDefaults } from '../workflows/domain/collection-settings';
import { remindersDue } from '../workflows/domain/reminders';

// Invoices read, and their reminders written, per statement.
const PAGE = 250;
const AUTOMATIC = { id: null, idempotencyKey: null };

// Answers how many reminders were written (not counting those already stored).
export async function writeDueReminders(
  db: Database,
  input: { clockId: string; frozenTime: number },
  publicUrl: string | undefined,
  progress: (written: number) => void = (written) => heartbeat({ reminders: written }),
  pageSize = PAGE,
): Promise<number> {
  let written = 0;
  // One page's insert runs in Postgres while the next page is read and rendered here; pages land
  // in order, one statement at a time.
  let inserting: Promise<void> | null = null;
  const insertPage = async (rows: EventRow[], settling: Settling) => {
    written += await insertEventRows(db, rows, { prepared: false, settling });
    progress(written);
  };
  for (let afterSeq = 0; ;) {
    const page = await clockInvoicesForReminders(db, input.clockId, afterSeq, pageSize);
    if (page.length === 0) break;
    // A clock's invoices are its account's: one answer per page (./events.ts).
    const accountId = page[0].state.accountId;
    if (page.some((candidate) => candidate.state.accountId !== accountId)) {
      throw new Error(`test clock ${input.clockId} has invoices of more than one account`);
    }
    const settling = { settledAt: await settledAtForAccount(db, accountId, Math.floor(Date.now() / 1000)) };
    const rows = page.flatMap((candidate) =>
      remindersDue(candidate.state, withDefaults(candidate.settings), input.frozenTime, newId).flatMap(
        (reminder) =>
          invoiceEventRows(reminder.state, [reminder.event], AUTOMATIC, {
            publicUrl,
            token: candidate.hostedToken,
          }),
      ),
    );
    await inserting;
    inserting = insertPage(rows, settling);
    inserting.catch(() => undefined); // handled: awaited (and thrown) at the next page or the end
    afterSeq = page[page.length - 1].seq;
  }
  await inserting;
  return written;
}
