/**
 * The placement window's pure logic: node names, violations worded with units in both languages,
 * transfers between sites, what marks a run or an accepted placement out of date, the convergence
 * curves ending at the table's objective, algorithm names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { placementAlgorithms } from '../../src-main/common/api/placement';
import { checkPlacement, type ConstraintKind } from '../../src-main/common/placement/checker';
import { parseProblem } from '../../src-main/common/placement/problem';
import type { ProjectDocument } from '../../src-main/common/project/schema';
import { convergenceOption } from '../../src-renderer/charts/placement';
import { siteFlows } from '../../src-renderer/charts/placement-flows';
import { i18n } from '../../src-renderer/i18n';
import { acceptedState, problemInputsKey, type MapSource } from '../../src-renderer/stores/placement/shared';
import { algorithmName, nodeNames, violationText, type Translate } from '../../src-renderer/stores/placement/words';
import { twoSites } from '../core/schedule/fixtures';

const sample: ProjectDocument = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const translator = (locale: 'en' | 'zh-CN'): Translate => {
  i18n.global.locale.value = locale;
  return ((key: string, params?: Record<string, unknown>) => i18n.global.t(key, params ?? {})) as Translate;
};
const en = translator('en');

describe('node names', () => {
  it('names a node by its row, with its index when the row stands for several, and keeps the cloud', () => {
    const names = nodeNames(sample.devices, en, 'cloud#1');
    expect(names['dev-1#2']).toBe('Gate camera 2 of 4');
    expect(names['dev-10#1']).toBe('Weather station');
    expect(names['cloud#1']).toBe('Cloud');
    expect(Object.keys(names)).toHaveLength(sample.devices.reduce((n, d) => n + d.count, 0) + 1);
    expect(nodeNames(sample.devices, translator('zh-CN'))['dev-6#3']).toBe('Dock camera NCS2 第 3 台（共 3 台）');
    translator('en');
  });

  it('spells algorithms out, and keeps a name it does not know', () => {
    expect(placementAlgorithms.map((a) => algorithmName(a, en, placementAlgorithms))).toEqual([
      'Improved ACO',
      'Ant System',
      'Genetic algorithm',
      'Greedy',
      'First-fit decreasing',
      'Round robin',
      'Random',
      'Exact MIP (HiGHS)',
    ]);
    expect(algorithmName('edited', en, placementAlgorithms)).toBe('edited');
    expect(algorithmName('tabu', en, placementAlgorithms)).toBe('tabu');
  });
});

describe('violations in words', () => {
  const problem = parseProblem({
    ...twoSites(),
    nodes: [
      { id: 'a1', deviceType: 'pi', site: 'A', computeMacPerS: 4e9, memoryMB: 100, idlePowerW: 1, powerState: 'always-on', energyBudgetJ: 150 },
      { id: 'b1', deviceType: 'xavier', site: 'B', computeMacPerS: 1e12, memoryMB: 100, idlePowerW: 1, powerState: 'always-on' },
    ],
    models: [{ id: 'net', macs: 2.2e8, memoryMB: 10, inputMB: 0.05, perDevice: { pi: { energyJ: 1520, latencyMs: 20 }, xavier: { energyJ: 0.01, latencyMs: 5 } } }],
  });
  const context = (locale: 'en' | 'zh-CN') => ({ t: translator(locale), locale, problem, workloads: { w1: 'Gate lane 1', w2: 'Gate lane 2' }, nodes: { a1: 'Gate camera 1 of 2', b1: 'Dock gateway' } });

  it('words compute and energy with SI prefixes and Wh, in English and Chinese', () => {
    const report = checkPlacement(problem, { w1: 'a1', w2: 'a1' });
    const compute = report.violations.find((v) => v.constraint === 'compute')!;
    expect(violationText(compute, context('en'))).toBe('Gate camera 1 of 2 needs 8.8\u00a0GMAC/s, the node offers 4.0\u00a0GMAC/s.');
    expect(violationText(compute, context('zh-CN'))).toBe('Gate camera 1 of 2 需要 8.8\u00a0GMAC/s，该节点只能提供 4.0\u00a0GMAC/s。');
    const energy = report.violations.find((v) => v.constraint === 'energyBudget')!;
    expect(violationText(energy, context('en'))).toBe('Gate camera 1 of 2 spends 6.08\u00a0MJ (1.69\u00a0kWh) per period, over its budget of 150\u00a0J (41.7\u00a0mWh).');
    for (const v of report.violations) expect(violationText(v, context('en'))).not.toMatch(/e\+|\d{5}/);
  });

  it('gives figures that round alike enough digits to differ', () => {
    const v = { nodeId: 'a1', constraint: 'energyBudget' as const, message: '', figures: { value: 216_040, limit: 216_000 } };
    const text = violationText(v, context('en'));
    expect(text).toContain('spends 216.04\u00a0kJ (');
    expect(text).toContain('budget of 216.0\u00a0kJ (');
  });

  it('names sites, links and the LAN of a site', () => {
    const noLink = checkPlacement(parseProblem({ ...twoSites(), links: [] }), { w1: 'b1', w2: 'a1' }).violations[0];
    expect(violationText(noLink, { ...context('en'), nodes: { b1: 'Dock gateway' } })).toBe('Gate lane 1 comes from A, but Dock gateway is at B and no link joins the two sites.');
    const both = checkPlacement(parseProblem(twoSites()), { w1: 'b1', w2: 'b1' }).violations.find((v) => v.constraint === 'network')!;
    expect(violationText(both, context('en'))).toBe('The link A – B carries 16\u00a0Mb/s of inputs, its capacity is 10\u00a0Mb/s.');
  });

  it('has a sentence for every kind of violation in both languages', () => {
    const kinds: ConstraintKind[] = ['unassigned', 'unknownWorkload', 'unknownNode', 'unknownVariant', 'allowedType', 'cloudNotAllowed', 'unsupported', 'accuracy', 'noPath', 'slo', 'compute', 'headroom', 'memory', 'energyBudget', 'network', 'link'];
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const kind of kinds) {
        expect(i18n.global.te(`placement.violation.${kind}`, locale), `${locale} ${kind}`).toBe(true);
        const text = violationText({ workloadId: 'w1', nodeId: 'a1', hopId: 'ab', constraint: kind, message: 'fallback', figures: { value: 2, limit: 1, inferenceMs: 3 } }, context(locale));
        expect(text, `${locale} ${kind}`).not.toMatch(/placement\.|fallback/);
      }
    }
    translator('en');
  });
});

describe('transfers between sites', () => {
  it('draws a flow from the source site to the serving site, with the link it loads, and none for local work', () => {
    const problem = parseProblem(twoSites());
    const report = checkPlacement(problem, { w1: 'b1', w2: 'a1' });
    expect(siteFlows(problem, { w1: 'b1', w2: 'a1' }, {}, report.hops)).toEqual([
      { from: 'A', to: 'B', mbps: 8, workloadIds: ['w1'], toCloud: false, link: { id: 'ab', mbps: 8, capacityMbps: 10 } },
    ]);
    expect(siteFlows(problem, { w1: 'a1', w2: 'a1' }, {}, checkPlacement(problem, { w1: 'a1', w2: 'a1' }).hops)).toEqual([]);
  });
});

describe('what makes a placement out of date', () => {
  const key = problemInputsKey(sample);
  const changed = (edit: (d: ProjectDocument) => void) => {
    const copy: ProjectDocument = structuredClone(sample);
    edit(copy);
    return problemInputsKey(copy);
  };

  it('changes with everything the problem is built from', () => {
    expect(changed((d) => (d.placement.utilizationLimit = 0.5))).not.toBe(key);
    expect(changed((d) => (d.sites[0].lan!.mbps = 10))).not.toBe(key);
    expect(changed((d) => (d.links![0].mbps = 10))).not.toBe(key);
    expect(changed((d) => (d.devices[0].powerState = 'may-sleep'))).not.toBe(key);
    expect(changed((d) => (d.placement.lambdaJ = 1))).not.toBe(key);
    expect(changed((d) => (d.workloads[0].siteId = d.sites[1].id))).not.toBe(key);
  });

  it('stays when only the accepted placement, the compression history or the name change', () => {
    expect(changed((d) => (d.placement.result = { algorithm: 'aco', objective: 1, energyJ: 1, imbalance: 0, feasible: true, acceptedAt: 'x', assignment: {} }))).toBe(key);
    expect(changed((d) => (d.compression.runs = []))).toBe(key);
    expect(changed((d) => (d.name = 'Renamed'))).toBe(key);
  });

  it('marks the accepted placement on the map, out of date once the project changed, and nothing else', () => {
    const accepted = { algorithm: 'aco', objective: 1, energyJ: 1, imbalance: 0, feasible: true, acceptedAt: '2026-12-01T10:00:00Z', assignment: {} };
    const source: MapSource = { kind: 'accepted', algorithm: 'aco', acceptedAt: accepted.acceptedAt };
    expect(acceptedState(source, accepted, false)).toBe('accepted');
    expect(acceptedState(source, accepted, true)).toBe('outdated');
    expect(acceptedState(source, { ...accepted, acceptedAt: 'later' }, false)).toBeNull();
    expect(acceptedState(source, null, false)).toBeNull();
    expect(acceptedState({ kind: 'run', algo: 'aco' }, accepted, false)).toBeNull();
  });
});

describe('convergence curves', () => {
  it('end at the objective of the table row, spelled out in the legend', () => {
    const option = convergenceOption([{ algo: 'mip', trace: [[3, 120]], ms: 900, objective: 118, feasible: true }], { time: 'ms', objective: 'obj' }, (a) => `name:${a}`);
    expect(option.series[0].name).toBe('name:mip');
    expect(option.series[0].data.at(-1)).toEqual([900, 118]);
  });
});

describe('accept blocked', () => {
  it('counts one violation or several, in both languages', () => {
    expect(i18n.global.t('placement.acceptBlocked', { count: 1 }, 1)).toMatch(/^One violation:/);
    expect(i18n.global.t('placement.acceptBlocked', { count: 3 }, 3)).toMatch(/^3 violations:/);
    i18n.global.locale.value = 'zh-CN';
    expect(i18n.global.t('placement.acceptBlocked', { count: 3 }, 3)).toMatch(/^存在 3 项违规/);
    i18n.global.locale.value = 'en';
  });

  it('reads one violation, not "1 violations", in the tables and the map header', () => {
    expect(i18n.global.t('placement.infeasible', 1)).toBe('one violation');
    expect(i18n.global.t('placement.infeasible', 4)).toBe('4 violations');
    i18n.global.locale.value = 'zh-CN';
    expect(i18n.global.t('placement.infeasible', 4)).toBe('4 项违规');
    i18n.global.locale.value = 'en';
  });
});
