// Numbers as the reports print them: one decimal, or whole with thousands separators; a dash
// where there is no figure.
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
export const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
