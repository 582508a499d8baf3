// The invoice PDF (pdfkit): the same content as the hosted page, A4, paginated for long
// invoices with "Page i of N" on every page, the custom fields and the invoice's footer. Served
// at invoice_pdf by the API and attached to invoice emails by the worker. Geometry and
// pagination decisions are pure and live with the other renderers
// (workflows/domain/render/invoice-pdf-layout.ts); the line table in ./invoice-pdf-table.ts.
//
// Why workflows/pdf/: the API and the activities both draw it, so it stands below both, where
// they both stand: workflows/. Not in workflows/domain/, since every module there is preloaded
// into the workflow sandbox (worker/workflow-bundle.ts) and pdfkit is Node code (streams, font
// files read from disk, the clock in CreationDate). No workflow imports this folder (eslint).
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../domain/render/invoice-document';
import {
  FONT,
  PAGE,
  PAGE_FOOTER_Y,
  SIZE,
  CONTENT_WIDTH,
  pageNumberLabel,
} from '../domain/render/invoice-pdf-layout';
import { drawLinesAndTotals } from './invoice-pdf-table';

type Doc = PDFKit.PDFDocument;

function drawHeader(pdf: Doc, invoice: InvoiceDocument): number {
  const left = PAGE.margin;
  const right = PAGE.margin + CONTENT_WIDTH / 2;
  const half = CONTENT_WIDTH / 2;
  pdf.font(FONT.bold).fontSize(SIZE.title).fillColor('#111111').text('Invoice', left, PAGE.margin);
  pdf
    .font(FONT.bold)
    .fontSize(SIZE.heading)
    .text(invoice.seller.name, right, PAGE.margin + 4, {
      width: half,
      align: 'right',
    });
  let y = PAGE.margin + 34;
  const rows = [{ label: 'Invoice number', value: invoice.number }, ...invoice.dates];
  for (const row of rows) {
    pdf.font(FONT.regular).fontSize(SIZE.body).fillColor('#555555').text(row.label, left, y, { width: 100 });
    pdf.fillColor('#111111').text(row.value, left + 100, y, { width: half - 100 });
    y += 14;
  }
  y += 10;
  const billTo = [
    invoice.customer.name,
    ...invoice.customer.addressLines,
    invoice.customer.email,
    invoice.customer.phone,
  ].filter((part): part is string => !!part);
  pdf.font(FONT.bold).fontSize(SIZE.body).fillColor('#111111').text('Bill to', left, y);
  y += 14;
  for (const part of billTo) {
    pdf.font(FONT.regular).text(part, left, y, { width: half });
    y = pdf.y + 1;
  }
  y += 14;
  pdf
    .font(FONT.bold)
    .fontSize(SIZE.heading + 3)
    .text(`${invoice.headline.amount} ${invoice.headline.caption}`, left, y, { width: CONTENT_WIDTH });
  y = pdf.y + 8;
  if (invoice.description) {
    pdf.font(FONT.regular).fontSize(SIZE.body).text(invoice.description, left, y, { width: CONTENT_WIDTH });
    y = pdf.y + 8;
  }
  for (const field of invoice.customFields) {
    pdf.font(FONT.bold).fontSize(SIZE.body).text(`${field.name}: `, left, y, { continued: true });
    pdf.font(FONT.regular).text(field.value, { width: CONTENT_WIDTH });
    y = pdf.y + 2;
  }
  return y + 12;
}

// Written last, on every buffered page: the page count is known only then.
function drawPageFooters(pdf: Doc, invoice: InvoiceDocument): void {
  const range = pdf.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    pdf.switchToPage(range.start + index);
    // Below the bottom margin: without this pdfkit would start yet another page.
    pdf.page.margins.bottom = 0;
    const text = `${invoice.number} · ${invoice.amountDue} · ${pageNumberLabel(index + 1, range.count)}`;
    pdf.font(FONT.regular).fontSize(SIZE.small).fillColor('#777777');
    pdf.text(text, PAGE.margin, PAGE_FOOTER_Y, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
  }
}

export function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: invoice.title, Author: invoice.seller.name, Subject: invoice.title },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const tableTop = drawHeader(pdf, invoice);
  drawLinesAndTotals(pdf, invoice, tableTop);
  drawPageFooters(pdf, invoice);
  pdf.end();
  return done;
}
