/**
 * Input shapes a planner gives for a model with dynamic dimensions: `x=1x3x640x640` per input,
 * or a bare `1x3x640x640` for a model with one input (kept under the empty name).
 */

/** Input name (or '' for "the only input") -> its full shape. */
export type InputShapes = Record<string, number[]>;

export const ONLY_INPUT = '';

/** `x=1x3x640x640` or `1x3x640x640` -> [name, dims], or a sentence saying what is wrong. */
export function parseInputShape(text: string): { name: string; dims: number[] } | { error: string } {
  const at = text.lastIndexOf('=');
  const name = at < 0 ? ONLY_INPUT : text.slice(0, at).trim();
  const dimsText = (at < 0 ? text : text.slice(at + 1)).trim();
  if (at >= 0 && !name) return { error: `"${text}" names no input before "=".` };
  const dims = dimsText.split(/[x×,]/i).map((d) => Number(d.trim()));
  if (!dimsText || dims.some((d) => !Number.isInteger(d) || d <= 0)) return { error: `"${text}" is not a shape: expected positive whole numbers joined by x, like x=1x3x640x640.` };
  return { name, dims };
}

/** The shapes of several `--input-shape` values; a name given twice, or a bare shape beside named ones, is an error. */
export function parseInputShapes(texts: readonly string[]): InputShapes | { error: string } {
  const shapes: InputShapes = {};
  for (const text of texts) {
    const parsed = parseInputShape(text);
    if ('error' in parsed) return parsed;
    if (parsed.name in shapes) return { error: `${parsed.name ? `Input "${parsed.name}"` : 'The input'} is given twice.` };
    shapes[parsed.name] = parsed.dims;
  }
  if (ONLY_INPUT in shapes && Object.keys(shapes).length > 1) return { error: 'A shape without an input name can only be given alone; name every input (NAME=D1xD2x...) when a model has several.' };
  return shapes;
}

export function formatShape(dims: readonly (number | string)[]): string {
  return dims.join('x');
}
