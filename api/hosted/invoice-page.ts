// The hosted invoice page's HTML, from templates/hosted/*.mustache. Mustache escapes every
// {{value}}: customer names, descriptions, footers and custom fields reach the page as text.
import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { escapeHtml } from '../../workflows/domain/render/escape-html';
import type { InvoiceDocument } from '../../workflows/domain/render/invoice-document';
import type { CardOption } from './test-cards';

const TEMPLATE_DIR = path.resolve(__dirname, '..', '..', 'templates', 'hosted');
const cache = new Map<string, string>();

function template(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8');
    cache.set(file, text);
  }
  return text;
}

const STATUS_WORDS: Record<InvoiceDocument['status'], string> = {
  draft: 'Draft',
  open: 'Open',
  paid: 'Paid',
  uncollectible: 'Past due',
  void: 'Void',
};

export interface InvoicePageView {
  invoice: InvoiceDocument;
  pageUrl: string;
  nonce: string;
  paymentMethods: CardOption[];
  error: string | null;
}

export function renderInvoicePage(view: InvoicePageView): string {
  return Mustache.render(
    template('invoice.html.mustache'),
    {
      ...view,
      css: template('invoice.css'),
      statusWord: STATUS_WORDS[view.invoice.status],
      payUrl: `${view.pageUrl}/pay`,
      pdfUrl: `${view.pageUrl}/pdf`,
    },
    {},
    { escape: escapeHtml },
  );
}

export function renderNotFoundPage(nonce: string): string {
  return Mustache.render(
    template('not-found.html.mustache'),
    { nonce, css: template('invoice.css') },
    {},
    { escape: escapeHtml },
  );
}
