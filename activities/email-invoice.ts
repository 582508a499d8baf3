// emailInvoice: the email of an invoice.sent event (on /send, and at finalization of a
// send_invoice invoice): amount, due date, the hosted page's link and the PDF attached. Run by
// the event's delivery workflow. Recorded per event in invoice_emails, so a retried activity
// never sends it twice; a crash after the server took the message but before the record would
// send it again with the same Message-ID (<evt_...@host>), which mail systems de-duplicate.
import { emails } from './metrics';
import type { ActivityDeps } from './deps';
import { findHostedToken, findSeller } from '../db/repositories/hosted-invoices';
import {
  findInvoiceEmail,
  recordInvoiceEmail,
  type InvoiceEmailRecord,
} from '../db/repositories/invoice-emails';
import { findInvoice } from '../db/repositories/invoices';
import { hostedPagePath } from '../workflows/domain/render/invoice';
import { invoiceDocument } from '../workflows/domain/render/invoice-document';
import { customerFacingConfigFromEnv } from './email-config';
import { renderEmail } from './email-templates';
import { createMailer, type Mailer } from './email-transport';
import { renderInvoicePdf } from '../workflows/pdf/invoice-pdf';

export interface EmailInvoiceResult {
  status: 'sent' | 'skipped' | 'already_sent';
  recipient: string | null;
  messageId: string | null;
  reason: string | null;
}

interface EventRow {
  account_id: string;
  object_id: string;
  type: string;
  created: number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function sender(emailFrom: string, sellerName: string) {
  // EMAIL_FROM may carry its own display name ("Billing <billing@acme.test>"): keep it then.
  return emailFrom.includes('<') || !sellerName ? emailFrom : { name: sellerName, address: emailFrom };
}

function resultOf(record: InvoiceEmailRecord, status: EmailInvoiceResult['status']): EmailInvoiceResult {
  return { status, recipient: record.recipient, messageId: record.messageId, reason: record.reason };
}

export function createEmailActivities({ db, customerFacing }: ActivityDeps) {
  const config = customerFacing ?? customerFacingConfigFromEnv();
  let mailer: Mailer | null = null;

  return {
    async emailInvoice({ eventId }: { eventId: string }): Promise<EmailInvoiceResult> {
      const done = await findInvoiceEmail(db, eventId);
      if (done) return resultOf(done, done.status === 'sent' ? 'already_sent' : 'skipped');
      const event = (await db('events')
        .where({ id: eventId })
        .first('account_id', 'object_id', 'type', 'created')) as EventRow | undefined;
      if (!event) return { status: 'skipped', recipient: null, messageId: null, reason: 'no such event' };
      const base = {
        eventId,
        accountId: event.account_id,
        invoiceId: event.object_id,
        created: nowSeconds(),
      };
      const skip = async (reason: string) => {
        const record: InvoiceEmailRecord = {
          ...base,
          status: 'skipped',
          recipient: null,
          subject: null,
          messageId: null,
          transport: null,
          location: null,
          reason,
        };
        await recordInvoiceEmail(db, record);
        return resultOf(record, 'skipped');
      };
      const state = await findInvoice(db, event.account_id, event.object_id);
      if (!state) return skip('the invoice no longer exists');
      const recipient = state.customer.email;
      if (!recipient) return skip('the customer has no email address');
      const token = await findHostedToken(db, state.id);
      if (!token) return skip('the invoice has no hosted page');

      const seller = await findSeller(db, state.accountId);
      const document = invoiceDocument(state, seller);
      const hostedUrl = `${config.publicUrl}${hostedPagePath(token)}`;
      const email = renderEmail('invoice-sent', { ...document, hostedUrl, pdfUrl: `${hostedUrl}/pdf` });
      const pdf = await renderInvoicePdf(document);
      const messageId = `<${eventId}@${new URL(config.publicUrl).hostname || 'localhost'}>`;
      mailer ??= createMailer(config);
      const sending = mailer.send(
        {
          from: sender(config.emailFrom, seller.name),
          to: recipient,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId,
          headers: { 'X-Invoice-Id': state.id, 'X-Event-Id': eventId },
          attachments: [
            { filename: `Invoice-${document.number}.pdf`, content: pdf, contentType: 'application/pdf' },
          ],
        },
        `${event.created}-${eventId}`,
      );
      const sent = await sending.catch((error: unknown) => {
        emails.inc({ outcome: 'failed' });
        // A permanent refusal (SMTP 5xx: no such mailbox, message refused) will not change on
        // retry: record it. Anything else (server away, 4xx) is thrown and retried.
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) return { refused: `the mail server refused it: ${code}` };
        throw error;
      });
      if ('refused' in sent) return skip(sent.refused);
      emails.inc({ outcome: 'sent' });
      const record: InvoiceEmailRecord = {
        ...base,
        status: 'sent',
        recipient,
        subject: email.subject,
        messageId,
        transport: sent.transport,
        location: sent.location,
        reason: null,
      };
      await recordInvoiceEmail(db, record);
      return resultOf(record, 'sent');
    },
  };
}
