// The PDF's geometry and its pagination, kept apart from drawing so the decisions are plain
// numbers a test can check: A4 in points, where each block goes, and which rows go on which page.
export const PAGE = { width: 595.28, height: 841.89, margin: 50 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
// The page number line sits in the bottom margin; content stops above it.
export const PAGE_FOOTER_Y = PAGE.height - PAGE.margin + 14;
export const CONTENT_BOTTOM = PAGE.height - PAGE.margin;

export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold' } as const;
export const SIZE = { title: 20, heading: 11, body: 9.5, small: 8 } as const;

// The line table: description takes what the numbers leave.
export const COLUMNS = (() => {
  const amount = 90;
  const unit = 80;
  const quantity = 40;
  const gap = 10;
  const description = CONTENT_WIDTH - amount - unit - quantity - 3 * gap;
  const x = PAGE.margin;
  return {
    description: { x, width: description },
    quantity: { x: x + description + gap, width: quantity },
    unit: { x: x + description + gap + quantity + gap, width: unit },
    amount: { x: x + description + gap + quantity + gap + unit + gap, width: amount },
  };
})();
export const ROW_PADDING = 6;
export const TABLE_HEADER_HEIGHT = 22;
// Continuation pages start with a short heading (invoice number) and the table header again.
export const CONTINUATION_HEADER_HEIGHT = 40;

export interface Pagination {
  // Row indexes on each page, in order; page 0 is the first page.
  pages: number[][];
  // The totals block (and footer) does not fit under the last rows: it gets a page of its own.
  tailOnNewPage: boolean;
}

// Greedy and stable: rows fill each page in order; a row taller than a whole page still gets one
// page to itself (it is clipped by the renderer rather than looping forever).
export function paginateRows(
  rowHeights: readonly number[],
  space: { firstPage: number; otherPages: number; tail: number },
): Pagination {
  const pages: number[][] = [[]];
  let left = space.firstPage;
  rowHeights.forEach((height, index) => {
    const current = pages[pages.length - 1];
    if (height > left && current.length > 0) {
      pages.push([index]);
      left = space.otherPages - height;
      return;
    }
    current.push(index);
    left -= height;
  });
  return { pages, tailOnNewPage: space.tail > left };
}

export function pageNumberLabel(page: number, count: number): string {
  return `Page ${page} of ${count}`;
}
