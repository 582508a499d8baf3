// Where emails go: SMTP_URL when set (any SMTP server: a relay, Mailpit, a provider); otherwise
// the embedded default, an outbox folder that receives one .eml file per email (open it in any
// mail client, or read it as text).
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { CustomerFacingConfig } from './email-config';

export interface SentEmail {
  transport: 'smtp' | 'outbox';
  messageId: string;
  location: string; // the SMTP server's answer, or the outbox file
}

export interface Mailer {
  send(message: SendMailOptions & { messageId: string }, fileStem: string): Promise<SentEmail>;
  close(): void;
}

function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      return { transport: 'smtp', messageId: message.messageId, location: info.response };
    },
    close: () => transport.close(),
  };
}

// Written to a temporary name and renamed, so a reader never sees half a message.
function outboxMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message, fileStem) {
      const info = await transport.sendMail(message);
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${fileStem}.eml`);
      const partial = `${file}.partial`;
      await fs.writeFile(partial, info.message as Buffer);
      await fs.rename(partial, file);
      return { transport: 'outbox', messageId: message.messageId, location: file };
    },
    close: () => transport.close(),
  };
}

export function createMailer(config: Pick<CustomerFacingConfig, 'smtpUrl' | 'outboxDir'>): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl) : outboxMailer(config.outboxDir);
}
