/**
 * The placement problem reader: the job that reads a problem file (`buildProblem`: regular file,
 * JSON, schema v1/v2 with `upgradeProblemV1`, `parseProblem`) and the compiler the solvers start
 * from (`compileProblem`). Seeds are the schedule tests' problems and a GAP instance as a problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobContext } from '../../../src-main/jobs/context';
import { buildProblem } from '../../../src-main/jobs/tasks/placement-problem';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { gapToProblem, parseGapFile } from '../../../src-main/core/schedule/gap';
import { hostAndStick, tinyProblem, twoSites } from '../../core/schedule/fixtures';
import type { FuzzTarget } from '../runner';
import { mutateJsonText, namesJsonField, textCodec } from './text';

let dir = '';
const context = { report: () => {} } as unknown as JobContext;

export const problemTarget: FuzzTarget<string> = {
  name: 'problem',
  extension: 'json',
  async seeds() {
    const gap = parseGapFile(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/gap/gap1.txt'), 'utf8'), 'gap1.txt');
    const v1 = { ...tinyProblem(), schemaVersion: 1, workloads: tinyProblem().workloads.map((w) => ({ ...w, site: 'roof' })) };
    return [
      { name: 'tiny', input: JSON.stringify(tinyProblem(), null, 2) },
      { name: 'two-sites', input: JSON.stringify(twoSites(), null, 2) },
      { name: 'host-and-stick', input: JSON.stringify(hostAndStick(), null, 2) },
      { name: 'tiny-v1', input: JSON.stringify(v1, null, 2) },
      { name: 'gap1-problem-1', input: JSON.stringify(gapToProblem(gap.instances[0], true)) },
    ];
  },
  mutate: mutateJsonText,
  async open() {
    dir = mkdtempSync(path.join(os.tmpdir(), 'joule-fuzz-problem-'));
  },
  async close() {
    rmSync(dir, { recursive: true, force: true });
  },
  async run(input) {
    const file = path.join(dir, 'fuzz-problem.json');
    writeFileSync(file, input);
    const { problem } = await buildProblem({ file }, context);
    compileProblem(problem);
  },
  namesCulprit: (message) => message.includes('fuzz-problem.json') || namesJsonField(message),
  ...textCodec,
};
