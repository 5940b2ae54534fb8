/** Helpers shared by the targets whose inputs are text files. */
import { type FuzzRng, mutateJson, mutateText, stringifyCase } from '../mutate';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export const textCodec = {
  encode: (text: string): Uint8Array => utf8.encode(text),
  decode: (bytes: Uint8Array): string => fromUtf8.decode(bytes),
};

/**
 * A JSON file's case: mostly field-level mutations of the parsed seed (re-serialised, sometimes
 * compact), sometimes text mutations of its serialisation (broken syntax, NaN literals, cuts).
 */
export function mutateJsonText(seed: string, rng: FuzzRng, donor: string): string {
  if (rng.chance(0.7)) {
    const doc = mutateJson(JSON.parse(seed), rng);
    const text = stringifyCase(doc, rng.chance(0.5) ? 2 : undefined);
    return rng.chance(0.15) ? mutateText(text, rng, donor) : text;
  }
  return mutateText(seed, rng, donor);
}

/** A JSON path (`devices[3].count`, `placement.periodS:`) or a quoted name in a message. */
export const namesJsonField = (message: string): boolean => /\w\[\d+\]|\b[a-zA-Z]\w*\.[a-zA-Z]\w*|\b[a-zA-Z]\w*:|'[^']+'|"[^"]+"/.test(message);
