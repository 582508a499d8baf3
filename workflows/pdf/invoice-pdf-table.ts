// The PDF's line table, split over as many pages as it needs (header repeated on each), then
// the totals and the invoice's footer text, kept together.
import type { InvoiceDocument } from '../domain/render/invoice-document';
import {
  COLUMNS,
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  CONTINUATION_HEADER_HEIGHT,
  FONT,
  PAGE,
  ROW_PADDING,
  SIZE,
  TABLE_HEADER_HEIGHT,
  paginateRows,
} from '../domain/render/invoice-pdf-layout';

type Doc = PDFKit.PDFDocument;
const TOTAL_ROW_HEIGHT = 16;

function rule(pdf: Doc, y: number, color = '#dddddd'): void {
  pdf
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.margin + CONTENT_WIDTH, y)
    .lineWidth(0.5)
    .strokeColor(color)
    .stroke();
}

function cell(
  pdf: Doc,
  text: string,
  column: { x: number; width: number },
  y: number,
  align: 'left' | 'right',
): void {
  pdf.text(text, column.x, y, { width: column.width, align, lineBreak: false });
}

function drawTableHeader(pdf: Doc, y: number): number {
  pdf.font(FONT.bold).fontSize(SIZE.small).fillColor('#555555');
  cell(pdf, 'DESCRIPTION', COLUMNS.description, y + 6, 'left');
  cell(pdf, 'QTY', COLUMNS.quantity, y + 6, 'right');
  cell(pdf, 'UNIT PRICE', COLUMNS.unit, y + 6, 'right');
  cell(pdf, 'AMOUNT', COLUMNS.amount, y + 6, 'right');
  rule(pdf, y + TABLE_HEADER_HEIGHT - 2, '#999999');
  return y + TABLE_HEADER_HEIGHT;
}

function lineText(line: InvoiceDocument['lines'][number]): string {
  return line.period ? `${line.description}\n${line.period}` : line.description;
}

function rowHeight(pdf: Doc, line: InvoiceDocument['lines'][number]): number {
  pdf.font(FONT.regular).fontSize(SIZE.body);
  return pdf.heightOfString(lineText(line) || ' ', { width: COLUMNS.description.width }) + 2 * ROW_PADDING;
}

function drawRow(pdf: Doc, line: InvoiceDocument['lines'][number], y: number, height: number): void {
  pdf.font(FONT.regular).fontSize(SIZE.body).fillColor('#111111');
  pdf.text(line.description || ' ', COLUMNS.description.x, y + ROW_PADDING, {
    width: COLUMNS.description.width,
    height: height - ROW_PADDING,
  });
  if (line.period) pdf.fillColor('#777777').text(line.period, { width: COLUMNS.description.width });
  pdf.fillColor('#111111');
  cell(pdf, line.quantity, COLUMNS.quantity, y + ROW_PADDING, 'right');
  cell(pdf, line.unitPrice ?? '', COLUMNS.unit, y + ROW_PADDING, 'right');
  cell(pdf, line.amount, COLUMNS.amount, y + ROW_PADDING, 'right');
  rule(pdf, y + height);
}

function footerHeight(pdf: Doc, invoice: InvoiceDocument): number {
  if (!invoice.footer) return 0;
  pdf.font(FONT.regular).fontSize(SIZE.small);
  return 16 + pdf.heightOfString(invoice.footer, { width: CONTENT_WIDTH });
}

function drawTail(pdf: Doc, invoice: InvoiceDocument, y: number): void {
  const labelX = COLUMNS.unit.x - 80;
  let top = y + 10;
  for (const row of invoice.totals) {
    pdf
      .font(row.strong ? FONT.bold : FONT.regular)
      .fontSize(SIZE.body)
      .fillColor('#111111');
    pdf.text(row.label, labelX, top, { width: COLUMNS.amount.x - labelX - 10, lineBreak: false });
    cell(pdf, row.value, COLUMNS.amount, top, 'right');
    top += TOTAL_ROW_HEIGHT;
  }
  if (invoice.footer) {
    pdf.font(FONT.regular).fontSize(SIZE.small).fillColor('#555555');
    pdf.text(invoice.footer, PAGE.margin, top + 16, { width: CONTENT_WIDTH });
  }
}

function startContinuationPage(pdf: Doc, invoice: InvoiceDocument): number {
  pdf.addPage();
  pdf.font(FONT.bold).fontSize(SIZE.heading).fillColor('#111111');
  pdf.text(`${invoice.title} (continued)`, PAGE.margin, PAGE.margin, { width: CONTENT_WIDTH });
  return PAGE.margin + CONTINUATION_HEADER_HEIGHT;
}

export function drawLinesAndTotals(pdf: Doc, invoice: InvoiceDocument, tableTop: number): void {
  const heights = invoice.lines.map((line) => rowHeight(pdf, line));
  const tail = 10 + invoice.totals.length * TOTAL_ROW_HEIGHT + footerHeight(pdf, invoice);
  const layout = paginateRows(heights, {
    firstPage: CONTENT_BOTTOM - tableTop - TABLE_HEADER_HEIGHT,
    otherPages: CONTENT_BOTTOM - PAGE.margin - CONTINUATION_HEADER_HEIGHT - TABLE_HEADER_HEIGHT,
    tail,
  });
  let y = tableTop;
  layout.pages.forEach((rows, pageIndex) => {
    if (pageIndex > 0) y = startContinuationPage(pdf, invoice);
    y = drawTableHeader(pdf, y);
    for (const index of rows) {
      drawRow(pdf, invoice.lines[index], y, heights[index]);
      y += heights[index];
    }
  });
  if (layout.tailOnNewPage) y = startContinuationPage(pdf, invoice);
  drawTail(pdf, invoice, y);
}
