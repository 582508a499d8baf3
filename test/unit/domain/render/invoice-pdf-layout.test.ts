import { pageNumberLabel, paginateRows } from '../../../../workflows/domain/render/invoice-pdf-layout';

describe('paginateRows', () => {
  const space = { firstPage: 100, otherPages: 200, tail: 30 };

  it('keeps everything on one page when it fits', () => {
    expect(paginateRows([20, 20, 20], space)).toEqual({ pages: [[0, 1, 2]], tailOnNewPage: false });
  });

  it('moves the row that does not fit, and the rows after it, to the next pages', () => {
    const layout = paginateRows(
      Array.from({ length: 20 }, () => 20),
      space,
    );
    expect(layout.pages.map((page) => page.length)).toEqual([5, 10, 5]);
    expect(layout.pages.flat()).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(layout.tailOnNewPage).toBe(false);
  });

  it('gives the totals a page of their own when they do not fit under the last row', () => {
    expect(paginateRows([20, 20, 20, 20, 10], space)).toEqual({
      pages: [[0, 1, 2, 3, 4]],
      tailOnNewPage: true,
    });
  });

  it('puts a row taller than a page on a page of its own instead of looping', () => {
    expect(paginateRows([10, 500, 10], space).pages).toEqual([[0], [1], [2]]);
  });

  it('has one empty page for an invoice without lines', () => {
    expect(paginateRows([], space)).toEqual({ pages: [[]], tailOnNewPage: false });
  });
});

describe('pageNumberLabel', () => {
  it('reads "Page i of N"', () => {
    expect(pageNumberLabel(2, 3)).toBe('Page 2 of 3');
  });
});
