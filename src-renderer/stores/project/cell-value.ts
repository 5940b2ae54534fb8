/**
 * A value as typed. Numbers that did not parse stay text so validation can show
 * `ramMB: expected a positive number, got "4GB"` instead of silently dropping the input.
 */
export type CellValue = string | number | null;
