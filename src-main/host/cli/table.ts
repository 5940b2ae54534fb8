/** Plain-text tables for the CLI's human output: right-aligned numbers, left-aligned text. */

export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatCell(c) : c)))];
  const numeric = header.map((_, i) => rows.every((r) => typeof r[i] === 'number'));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** Three significant digits, scientific below 1e-3 (energies in joules get small). */
export function formatCell(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e7) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}
