/**
 * The sample project's plan, as a planner would accept it: the improved ACO's placement serves
 * every workload at its site or over a link with the SLO met (the checker finds no violation),
 * leaves every node under the utilization limit, runs the NCS2 sticks on their Raspberry Pi
 * hosts, and costs what the exact MIP proves optimal.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblem } from '../../../src-main/common/placement/problem';
import type { ProjectDocument } from '../../../src-main/common/project/schema';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { readProjectFile } from '../../../src-main/core/project/project-file';
import { solveAco } from '../../../src-main/core/schedule/aco';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { toAssignment } from '../../../src-main/core/schedule/compiled';
import { problemFromProject } from '../../../src-main/core/schedule/from-project';
import { solveMip } from '../../../src-main/core/schedule/mip';
import { devicesDir, repoRoot } from './fixtures';

const sampleFile = path.join(repoRoot, 'resources/sample/sample.joule');
let sample: ProjectDocument;
let problem: PlacementProblem;

beforeAll(async () => {
  const library = await DeviceLibrary.load(devicesDir);
  sample = (await readProjectFile(sampleFile, library.ids())).document;
  problem = parseProblem(problemFromProject(sample, path.dirname(sampleFile), library));
});

describe('the sample project', () => {
  it('describes sites with LANs, links, power states, a utilization limit and NCS2 sticks on hosts', () => {
    expect(sample.schemaVersion).toBe(5);
    expect(problem.utilizationLimit).toBe(0.7);
    expect(problem.links.length).toBeGreaterThan(0);
    const sticks = problem.nodes.filter((n) => n.deviceType === 'intel-ncs2');
    expect(sticks.length).toBeGreaterThan(0);
    for (const stick of sticks) {
      const host = problem.nodes.find((n) => n.id === stick.host?.nodeId);
      expect(host?.deviceType, stick.id).toBe('raspberry-pi-4');
      expect(host?.site).toBe(stick.site);
    }
    expect(problem.nodes.filter((n) => !n.host && n.energyBudgetJ === undefined).every((n) => n.powerState === 'always-on')).toBe(true);
  });

  it("is placed by the improved ACO at or next to each workload's site, within SLO and headroom, at the proven optimum", async () => {
    const cp = compileProblem(problem);
    const aco = solveAco(cp, { seed: 1, maxIterations: 20 });
    const { assignment, variants } = toAssignment(cp, aco.assignment, aco.option);
    const report = checkPlacement(problem, assignment, variants);
    expect(report.violations).toEqual([]);
    const siteOf = new Map(problem.nodes.map((n) => [n.id, n.site]));
    const linked = (a: string, b: string) => problem.links.some((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
    for (const w of problem.workloads) {
      const at = siteOf.get(assignment[w.id]);
      expect(at === w.site || (at !== undefined && linked(w.site!, at)), `${w.id} from ${w.site} runs at ${at}`).toBe(true);
    }
    for (const n of report.nodes) expect(n.utilization, n.nodeId).toBeLessThanOrEqual(problem.utilizationLimit);
    // The NCS2 serves the dock camera: the stick it runs on is fed by its host.
    const dockNode = problem.nodes.find((n) => n.id === assignment['w-dock'])!;
    expect(dockNode.deviceType).toBe('intel-ncs2');
    expect(report.nodes.find((n) => n.nodeId === dockNode.host!.nodeId)!.utilization).toBeGreaterThan(0);
    const mip = await solveMip(cp, { timeLimitS: 60 });
    expect(mip.optimal).toBe(true);
    expect(aco.objective).toBeCloseTo(mip.objective, 3);
  });
});
