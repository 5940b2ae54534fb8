/** Small placement problems shared by the schedule tests. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlacementProblemInput } from '../../../src-main/common/placement/problem';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const gapDir = path.join(repoRoot, 'tests/fixtures/gap');
export const devicesDir = path.join(repoRoot, 'resources/devices');

/**
 * Two edge nodes (a big and a small device type) that may sleep, a cloud, three workloads; every
 * constraint can be broken by moving one workload. Period 100 s.
 */
export function tinyProblem(): PlacementProblemInput {
  return {
    schemaVersion: 2,
    periodS: 100,
    lambdaJ: 10,
    nodes: [
      { id: 'big', deviceType: 'xavier', site: 'roof', computeMacPerS: 1000, memoryMB: 100, energyBudgetJ: 1000, idlePowerW: 2, powerState: 'may-sleep' },
      { id: 'small', deviceType: 'pi', site: 'roof', computeMacPerS: 100, memoryMB: 40, idlePowerW: 1, powerState: 'may-sleep' },
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

/**
 * Two sites joined by a link, period 100 s: a1 at site A (where both workloads come from), b1
 * at site B. Each workload makes 2,000 inferences and sends 100 MB a period (20/s x 0.05 MB),
 * 8 Mb/s. On a1: 200 J inference + 2 J over LAN A = 202 J, 25 ms. On b1: 20 J + 2 J (LAN A)
 * + 10 J (link) = 32 J, 5 + 5 + 44 = 54 ms. Both nodes always on: 200 J of idle energy a period.
 * The link (10 Mb/s) carries one workload, not two: the optimum is 32 + 202 + 200 = 434 J.
 */
export function twoSites(): PlacementProblemInput {
  return {
    schemaVersion: 2,
    periodS: 100,
    lambdaJ: 0,
    sites: [{ id: 'A', lan: { mbps: 100, rttMs: 1, jPerMB: 0.02 } }, { id: 'B' }],
    links: [{ id: 'ab', a: 'A', b: 'B', mbps: 10, rttMs: 4, jPerMB: 0.1 }],
    nodes: [
      { id: 'a1', deviceType: 'pi', site: 'A', computeMacPerS: 1000, memoryMB: 100, idlePowerW: 1, powerState: 'always-on' },
      { id: 'b1', deviceType: 'xavier', site: 'B', computeMacPerS: 1000, memoryMB: 100, idlePowerW: 1, powerState: 'always-on' },
    ],
    models: [{ id: 'net', macs: 10, memoryMB: 10, inputMB: 0.05, perDevice: { pi: { energyJ: 0.1, latencyMs: 20 }, xavier: { energyJ: 0.01, latencyMs: 5 } } }],
    workloads: [
      { id: 'w1', model: 'net', ratePerS: 20, sloMs: 100, site: 'A', allowCloud: false },
      { id: 'w2', model: 'net', ratePerS: 20, sloMs: 100, site: 'A', allowCloud: false },
    ],
  };
}

/**
 * A Raspberry Pi host `h` with an NCS2 stick `s` plugged in, and another Pi `x`, all at one site,
 * period 100 s, both Pis may sleep. One workload, 2/s: on the stick 2 J of inference + 1.2 J of
 * host work (200 x 2 ms x 3 W) + 250 J idle of host and stick = 253.2 J; on h's CPU 10 J + 250 J
 * (the stick idles while its host is on); on x 10 J + 300 J.
 */
export function hostAndStick(): PlacementProblemInput {
  return {
    schemaVersion: 2,
    periodS: 100,
    lambdaJ: 0,
    nodes: [
      { id: 'h', deviceType: 'pi', site: 'S', computeMacPerS: 100, memoryMB: 1000, idlePowerW: 2, powerState: 'may-sleep', energyBudgetJ: 1000 },
      { id: 's', deviceType: 'ncs', site: 'S', computeMacPerS: 1000, memoryMB: 100, idlePowerW: 0.5, host: { nodeId: 'h', cpuMsPerInference: 2, cpuPowerW: 3 } },
      { id: 'x', deviceType: 'pi', site: 'S', computeMacPerS: 100, memoryMB: 1000, idlePowerW: 3, powerState: 'may-sleep' },
    ],
    models: [{ id: 'net', macs: 10, memoryMB: 10, perDevice: { pi: { energyJ: 0.05, latencyMs: 30 }, ncs: { energyJ: 0.01, latencyMs: 5 } } }],
    workloads: [{ id: 'w1', model: 'net', ratePerS: 2, sloMs: 100, allowCloud: false }],
  };
}
