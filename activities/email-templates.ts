// Email templates are files (templates/email/<name>.{subject,text,html}.mustache), read once.
// Only the HTML part is HTML-escaped; subject and text are plain text.
import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { escapeHtml } from '../workflows/domain/render/escape-html';

export const EMAIL_TEMPLATE_DIR = path.resolve(__dirname, '..', 'templates', 'email');

const cache = new Map<string, string>();

function template(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(path.join(EMAIL_TEMPLATE_DIR, file), 'utf8');
    cache.set(file, text);
  }
  return text;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const plain = { escape: (value: unknown) => String(value) };

export function renderEmail(name: string, view: object): RenderedEmail {
  // A subject is one header line: whatever the data holds, it stays one line.
  const subject = Mustache.render(template(`${name}.subject.mustache`), view, {}, plain)
    .replace(/\s+/g, ' ')
    .trim();
  return {
    subject,
    text: Mustache.render(template(`${name}.text.mustache`), view, {}, plain),
    html: Mustache.render(template(`${name}.html.mustache`), view, {}, { escape: escapeHtml }),
  };
}
