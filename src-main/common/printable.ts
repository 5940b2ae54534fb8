/**
 * Text that is safe to show: what a message echoes (a file name, a value from a request) may
 * hold terminal escape sequences or control characters that would recolour, move the cursor in,
 * or rewrite a terminal, or hide text in a log. Pure TypeScript, used wherever errors leave a host.
 */

// ESC-introduced sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`, two-byte `ESC x`) and the C1 CSI.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with escape sequences removed and every other control character written as `\u{…}`,
 * so nothing in it acts on a terminal and nothing is hidden.
 *
 * @example printable('bad\u001b[31mred\u0007') // 'badred\\u{7}'
 */
export function printable(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
