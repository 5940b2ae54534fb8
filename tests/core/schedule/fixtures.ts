/** Small placement problems shared by the schedule tests. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlacementProblemInput } from '../../../src-main/common/placement/problem';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const gapDir = path.join(repoRoot, 'tests/fixtures/gap');
export const devicesDir = path.join(repoRoot, 'resources/devices');

/**
 * Two edge nodes (a big and a small device type), a cloud, three workloads; every constraint
 * can be broken by moving one workload. Period 100 s.
 */
export function tinyProblem(): PlacementProblemInput {
  return {
    schemaVersion: 1,
    periodS: 100,
    lambdaJ: 10,
    nodes: [
      { id: 'big', deviceType: 'xavier', site: 'roof', computeMacPerS: 1000, memoryMB: 100, energyBudgetJ: 1000, idlePowerW: 2 },
      { id: 'small', deviceType: 'pi', site: 'roof', computeMacPerS: 100, memoryMB: 40, idlePowerW: 1 },
    ],
    models: [
      { id: 'net', macs: 10, memoryMB: 30, accuracy: 0.7, inputMB: 0.5, perDevice: { xavier: { energyJ: 0.01, latencyMs: 5 }, pi: { energyJ: 0.05, latencyMs: 50 } } },
      { id: 'net-p50', macs: 5, memoryMB: 20, accuracy: 0.68, inputMB: 0.5, perDevice: { xavier: { energyJ: 0.005, latencyMs: 3 }, pi: { energyJ: 0.03, latencyMs: 30 } } },
      { id: 'xavier-only', macs: 20, memoryMB: 10, accuracy: 0.8, perDevice: { xavier: { energyJ: 0.02, latencyMs: 10 } } },
    ],
    workloads: [
      { id: 'cam1', variants: ['net', 'net-p50'], ratePerS: 5, sloMs: 60, accuracyFloor: 0.69 },
      { id: 'cam2', model: 'net', ratePerS: 2, sloMs: 40, allowedDeviceTypes: ['xavier'] },
      { id: 'cam3', model: 'xavier-only', ratePerS: 1, sloMs: 100, allowCloud: false },
    ],
    cloud: { id: 'cloud', uplinkMbps: 10, rttMs: 20, transmitJPerMB: 2, serverLatencyMs: 5 },
  };
}

/** Deletes the value at a dotted path (`nodes.0.computeMacPerS`) when `value` is DELETE, else sets it. */
export const DELETE = Symbol('delete');
export function setPath(target: unknown, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let at = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === DELETE) delete at[last];
  else at[last] = value;
}
