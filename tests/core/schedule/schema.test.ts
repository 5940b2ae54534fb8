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
    ['a workload from an unknown site', 'workloads.0.site', 'moon', 'workloads[0].site: names the site "moon", which no node is at and "sites" does not list'],
    ['a link to an unknown site', 'links', [{ id: 'l', a: 'roof', b: 'cellar', rttMs: 1, jPerMB: 0 }], 'links[0].b: names the site "cellar", which no node is at and "sites" does not list'],
    ['a link from a site to itself', 'links', [{ id: 'l', a: 'roof', b: 'roof', rttMs: 1, jPerMB: 0 }], 'links[0].b: joins the site "roof" to itself; a site\'s own network is its LAN'],
    ['a link without a round trip', 'links', [{ id: 'l', a: 'roof', b: 'yard', mbps: 10, jPerMB: 0 }], 'links[0].rttMs: is missing (expected a number)'],
    ['a zero link capacity', 'sites', [{ id: 'roof', lan: { mbps: 0, rttMs: 1, jPerMB: 0 } }], 'sites[0].lan.mbps: expected a positive number, got 0'],
    // Issue 14: bounded sizes, and an absurd period named with its limit.
    ['an absurd period', 'periodS', 1e300, 'periodS: expected a number of seconds from 0.001 to 315,360,000 (ten years, docs/limits.md), got 1e+300'],
    ['a vanishing period', 'periodS', 1e-300, 'periodS: expected a number of seconds from 0.001 to 315,360,000 (ten years, docs/limits.md), got 1e-300'],
    ['too many nodes', 'nodes', Array.from({ length: 100_001 }, (_, i) => ({ ...tinyProblem().nodes[1], id: `n${i}` })), 'nodes: has more than 100,000 nodes, the limit (docs/limits.md)'],
    ['a utilization limit above 1', 'utilizationLimit', 1.5, 'utilizationLimit: expected a number at most 1, got 1.5'],
    ['an unknown power state', 'nodes.0.powerState', 'hibernate', 'nodes[0].powerState: expected "always-on" or "may-sleep", got "hibernate"'],
  ];
  for (const [what, dotted, value, expected] of cases) {
    it(`names the JSON path of ${what}`, () => {
      expect(problemsAfter(dotted, value)).toContain(expected);
    });
  }

  it('refuses two links between the same sites and wake-up energy on a node that never sleeps', () => {
    const p = tinyProblem();
    p.nodes[1].site = 'yard';
    p.links = [
      { id: 'l1', a: 'roof', b: 'yard', rttMs: 1, jPerMB: 0 },
      { id: 'l2', a: 'yard', b: 'roof', rttMs: 2, jPerMB: 0 },
    ];
    p.nodes[1].powerState = 'always-on';
    p.nodes[1].wakeUpJ = 3;
    const r = validateProblem(p);
    expect(r.ok ? [] : r.problems.map((x) => `${x.path}: ${x.message}`)).toEqual([
      'links[1]: joins the same two sites as links[0]; give one link per pair',
      'nodes[1].wakeUpJ: is only spent by a node that may sleep, and this node is always on',
    ]);
  });

  it('reads a version 1 file as it was meant: nodes may sleep, a workload site is only a label', () => {
    const v1 = { ...tinyProblem(), schemaVersion: 1 } as Record<string, unknown>;
    const nodes = (v1.nodes as Record<string, unknown>[]).map(({ powerState: _state, ...n }) => n);
    const workloads = (v1.workloads as Record<string, unknown>[]).map((w) => ({ ...w, site: 'somewhere' }));
    const p = parseProblem({ ...v1, nodes, workloads });
    expect(p.schemaVersion).toBe(2);
    expect(p.nodes.map((n) => n.powerState)).toEqual(['may-sleep', 'may-sleep']);
    expect(p.workloads.every((w) => w.site === undefined)).toBe(true);
    expect(p.utilizationLimit).toBe(1);
  });

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
    expect(message).toContain('periodS: expected a number of seconds from 0.001 to 315,360,000 (ten years, docs/limits.md), got 0');
    expect(message).toContain('workloads[0].ratePerS: expected a number, got "fast"');
  });
});
