import { describe, expect, it } from 'vitest';
import { cancelByTermination, hangTimeoutFor, jobLane, type JouleJobKind } from '../../src-main/jobs/catalog';
import { handlers } from '../../src-main/jobs/handlers';

const kinds = Object.keys(handlers) as JouleJobKind[];

describe('job catalog', () => {
  it('puts the answers a planner waits for in the short lane and every solver, training and pruning run in the long one', () => {
    const short = kinds.filter((k) => jobLane(k) === 'short').sort();
    expect(short).toEqual(['devices.validate', 'energy.analyze', 'energy.calibrate', 'energy.partition', 'models.export', 'models.import', 'placement.fleet', 'placement.problem', 'plan.export', 'project.check']);
    for (const kind of ['placement.run', 'placement.gap', 'placement.pareto', 'train.run', 'prune.run', 'plan.demo'] as const) expect(jobLane(kind)).toBe('long');
  });

  it('terminates on cancel only kinds that compute without onnxruntime and write nothing', () => {
    expect(kinds.filter(cancelByTermination).sort()).toEqual(['placement.gap', 'placement.pareto', 'placement.run']);
  });

  it('follows a solver time limit up to 24 h, never an absurd one', () => {
    const run = (timeLimitS: number) => hangTimeoutFor('placement.run', { settings: { timeLimitS } });
    expect(run(60)).toBe(120_000);
    expect(run(1e12)).toBe((24 * 3600 + 60) * 1000);
    expect(run(Number.NaN)).toBe(70_000);
    expect(run(-5)).toBe(70_000);
    expect(hangTimeoutFor('placement.pareto', { settings: { timeLimitS: Infinity } })).toBe(62_000);
    expect(hangTimeoutFor('placement.gap', { timeLimitS: 1e9 })).toBe((24 * 3600 + 60) * 1000);
  });
});
