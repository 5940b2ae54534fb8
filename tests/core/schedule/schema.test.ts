import { describe, expect, it } from 'vitest';
import { ScheduleError } from '../../../src-main/core/schedule/errors';
import { parseProblem, validateProblem } from '../../../src-main/common/placement/problem';
import { DELETE, setPath, tinyProblem } from './fixtures';

/** The validation sentences after setting (or deleting) one value of a fresh tiny problem. */
function problemsAfter(dotted: string, value: unknown): string[] {
  const p = tinyProblem();
  setPath(p, dotted, value);
  const r = validateProblem(p);
  return r.ok ? [] : r.problems.map((x) => `${x.path}: ${x.message}`);
}

describe('placement problem schema', () => {
  it('accepts the tiny problem and applies defaults', () => {
    const p = parseProblem(tinyProblem());
    expect(p.workloads[0].allowCloud).toBe(true);
    expect(p.nodes[1].energyBudgetJ).toBeUndefined();
    expect(p.cloud?.site).toBe('cloud');
  });

  const cases: [string, string, unknown, string][] = [
    ['a negative SLO', 'workloads.1.sloMs', -5, 'workloads[1].sloMs: expected a positive number, got -5'],
    ['a missing capacity', 'nodes.0.computeMacPerS', DELETE, 'nodes[0].computeMacPerS: is missing (expected a number)'],
    ['text for a number', 'nodes.1.memoryMB', '4GB', 'nodes[1].memoryMB: expected a number, got "4GB"'],
    ['an unknown model', 'workloads.2.model', 'yolo', 'workloads[2].model: names the model "yolo", which is not in "models"'],
    ['an unknown variant', 'workloads.0.variants.1', 'tiny', 'workloads[0].variants[1]: names the model "tiny", which is not in "models"'],
    ['both model and variants', 'workloads.0.model', 'net', 'workloads[0]: needs exactly one of "model" or "variants"'],
    ['a repeated node id', 'nodes.1.id', 'big', 'nodes[1].id: repeats the id "big"'],
    ['a cloud id that is a node id', 'cloud.id', 'small', 'cloud.id: repeats the node id "small"'],
    ['an unknown device type', 'workloads.1.allowedDeviceTypes', ['tpu'], 'workloads[1].allowedDeviceTypes[0]: names the device type "tpu", which no node has'],
    ['an accuracy above 1', 'models.0.accuracy', 70, 'models[0].accuracy: expected a number at most 1, got 70'],
    ['an unknown field', 'nodes.0.gpu', true, "nodes[0]: has unknown field 'gpu'"],
    ['a negative energy', 'models.1.perDevice.pi.energyJ', -1, 'models[1].perDevice.pi.energyJ: expected a number at least 0, got -1'],
  ];
  for (const [what, dotted, value, expected] of cases) {
    it(`names the JSON path of ${what}`, () => {
      expect(problemsAfter(dotted, value)).toContain(expected);
    });
  }

  it('throws a ScheduleError listing every problem as a sentence', () => {
    const p = tinyProblem();
    setPath(p, 'periodS', 0);
    setPath(p, 'workloads.0.ratePerS', 'fast');
    let error: unknown;
    try {
      parseProblem(p);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScheduleError);
    const message = (error as Error).message;
    expect(message).toContain('periodS: expected a positive number, got 0');
    expect(message).toContain('workloads[0].ratePerS: expected a number, got "fast"');
  });
});
