/**
 * The OR-Library GAP reader: `parseGapFile` on mutated instances from tests/fixtures/gap, then
 * each instance compiled for the solvers (`gapToCompiled`) and, when small, as a placement
 * problem that must validate against the problem schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateProblem } from '../../../src-main/common/placement/problem';
import { gapToCompiled, gapToProblem, parseGapFile } from '../../../src-main/core/schedule/gap';
import type { FuzzTarget } from '../runner';
import { mutateText } from '../mutate';
import { textCodec } from './text';

const gapDir = path.resolve(import.meta.dirname, '../../fixtures/gap');

/** The file name travels with the case (it decides max or min): `name\n` then the text. */
export const gapTarget: FuzzTarget<string> = {
  name: 'gap',
  extension: 'txt',
  async seeds() {
    return readdirSync(gapDir)
      .filter((n) => /^gap\w+\.txt$/.test(n))
      .sort()
      .map((n) => ({ name: n, input: `${n}\n${readFileSync(path.join(gapDir, n), 'utf8')}` }));
  },
  mutate(seed, rng, donor) {
    const cut = seed.indexOf('\n');
    const name = seed.slice(0, cut);
    let text = seed.slice(cut + 1);
    // The big instances slow every case down; most cases start from the head of the file.
    if (rng.chance(0.5)) {
      const header = text.trim().split(/\s+/);
      const m = rng.pick([1, 2, 3]);
      const n = rng.pick([1, 2, 5]);
      const nums = header.slice(3, 3 + 2 * m * n + m);
      text = `1 ${m} ${n}\n${nums.join(' ')}\n`;
    }
    return `${name}\n${mutateText(text, rng, donor.slice(donor.indexOf('\n') + 1))}`;
  },
  async run(input) {
    const cut = input.indexOf('\n');
    const name = cut >= 0 ? input.slice(0, cut) : 'gap.txt';
    const file = parseGapFile(input.slice(cut + 1), name);
    for (const g of file.instances) {
      gapToCompiled(g, file.maximize);
      if (g.m * g.n <= 400) {
        const checked = validateProblem(gapToProblem(g, file.maximize));
        if (!checked.ok) return `a GAP instance read without error became an invalid placement problem: ${checked.problems[0].path}: ${checked.problems[0].message}`;
      }
    }
  },
  namesCulprit: (message) => /gap\w*(\.txt)?\b/i.test(message) || /\b(job|agent|capacity) \d+/.test(message),
  ...textCodec,
};
