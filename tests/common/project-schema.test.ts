import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { libraryDeviceIds } from '../../src-main/common/devices/profile';
import { validateProject } from '../../src-main/common/project/validate';
import { problemToSentence } from '../../src-main/common/validation';

const sample = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const types = [...libraryDeviceIds];

function mutate(change: (p: typeof sample) => void) {
  const copy = structuredClone(sample);
  change(copy);
  return copy;
}

describe('project schema', () => {
  it('accepts the sample project', () => {
    const result = validateProject(sample, types);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  // Each case: a broken copy of the sample and the sentence a planner must see.
  const cases: [string, (p: typeof sample) => void, string][] = [
    ['text where a number belongs', (p) => (p.devices[3].ramMB = '4GB'), 'devices[3].ramMB: expected a positive number, got "4GB"'],
    ['a negative RAM', (p) => (p.devices[0].ramMB = -1), 'devices[0].ramMB: expected a positive number, got -1'],
    ['a fractional count', (p) => (p.devices[1].count = 2.5), 'devices[1].count: expected a whole number from 1 to 100,000 (the limit of nodes per device row, docs/limits.md), got 2.5'],
    ['a missing name', (p) => delete p.devices[2].name, 'devices[2].name: is missing (expected text)'],
    ['an unknown power mode', (p) => (p.devices[0].power = 'solar'), 'devices[0].power: expected "mains" or "daily-budget" or "battery", got "solar"'],
    ['an unknown site', (p) => (p.devices[4].siteId = 'site-moon'), 'devices[4].siteId: refers to site "site-moon", which the project does not have'],
    ['a duplicate id', (p) => (p.devices[5].id = p.devices[0].id), 'devices[5].id: duplicates the id "dev-1" of devices[0]'],
    ['a battery without capacity', (p) => (p.devices[3].energyWh = null), 'devices[3].energyWh: needs a battery capacity in Wh'],
    ['energy on mains', (p) => (p.devices[0].energyWh = 10), 'devices[0].energyWh: must be null for a device on mains power'],
    ['an unknown device type', (p) => (p.devices[0].type = 'jetson-tx2'), 'devices[0].type: unknown device type "jetson-tx2"; the library has'],
    ['a typo in a field name', (p) => (p.devices[0].ramGB = 4), 'devices[0]: has unknown field \'ramGB\''],
    ['a bad sha256', (p) => (p.models[1].sha256 = 'xyz'), 'models[1].sha256: expected 64 lower-case hex digits, got "xyz"'],
    ['a budget with no limit', (p) => (p.budgets[0] = { id: 'b', label: 'B', deviceType: 'raspberry-pi-4' }), 'budgets[0]: needs maxEnergyPerInferenceMJ, maxLatencyMs or both'],
    ['a wrong schema version', (p) => (p.schemaVersion = 7), 'schemaVersion: expected 5, got 7'],
    ['a workload of a missing model', (p) => (p.workloads[0].modelId = 'model-gone'), 'workloads[0].modelId: refers to model "model-gone", which the project does not have'],
    ['a variant of a missing model', (p) => (p.models[1].parentId = 'model-gone'), 'models[1].parentId: refers to model "model-gone", which the project does not have as another model'],
    ['a variant of itself', (p) => (p.models[1].parentId = p.models[1].id), `models[1].parentId: refers to model "model-squeezenet", which the project does not have as another model`],
    ['a zero request rate', (p) => (p.workloads[1].ratePerS = 0), 'workloads[1].ratePerS: expected a positive number of inferences per second, got 0'],
    [
      'a placement on a node the fleet lacks',
      (p) => (p.placement.result = { algorithm: 'aco', objective: 1, energyJ: 1, imbalance: 0, feasible: true, acceptedAt: '2026-01-01T00:00:00Z', assignment: { 'w-gate-1': 'dev-1#9' } }),
      'placement.result.assignment["w-gate-1"]: places it on node "dev-1#9", which the fleet does not have',
    ],
    ['an unknown power state', (p) => (p.devices[0].powerState = 'off'), 'devices[0].powerState: expected "always-on" or "may-sleep", got "off"'],
    ['wake-up energy on an always-on row', (p) => (p.devices[0].wakeUpJ = 10), 'devices[0].wakeUpJ: is only spent by a device that may sleep; set powerState to "may-sleep" or remove it'],
    ['an accelerator on a missing host row', (p) => (p.devices[6].host.deviceId = 'dev-99'), 'devices[6].host.deviceId: refers to device row "dev-99", which the project does not have'],
    ['an accelerator on itself', (p) => (p.devices[6].host.deviceId = 'dev-6'), 'devices[6].host.deviceId: names the accelerator row itself'],
    ['an accelerator at another site than its host', (p) => (p.devices[6].siteId = 'site-harbour'), 'devices[6].host.deviceId: refers to device row "dev-13" at site "site-warehouse", but the accelerators are at site "site-harbour"'],
    ['more accelerators than hosts', (p) => (p.devices[6].count = 4), 'devices[6].count: is 4, but host row "dev-13" has 3 nodes left without an accelerator (one accelerator per host)'],
    ['an accelerator on another supply than its host', (p) => (p.devices[6].power = 'battery'), 'devices[6].power: must be "mains" like its host row "dev-13": an accelerator draws from its host\'s supply'],
    ['an accelerator with its own budget', (p) => (p.devices[6].energyWh = 5), 'devices[6].energyWh: must be null: an accelerator shares the energy of its host row "dev-13"'],
    ['an accelerator with its own power state', (p) => (p.devices[6].powerState = 'may-sleep'), 'devices[6].powerState: must be left out: an accelerator sleeps and wakes with its host row "dev-13"'],
    ['a LAN without capacity', (p) => (p.sites[0].lan.mbps = 0), 'sites[0].lan.mbps: expected a positive number of megabits per second, got 0'],
    ['a LAN without a round trip', (p) => delete p.sites[1].lan.rttMs, 'sites[1].lan.rttMs: is missing (expected a number of milliseconds of at least 0)'],
    ['a link to a missing site', (p) => (p.links[1].siteB = 'site-moon'), 'links[1].siteB: refers to site "site-moon", which the project does not have'],
    ['a link from a site to itself', (p) => (p.links[0].siteB = 'site-harbour'), 'links[0].siteB: is the same site as siteA'],
    ['two links between the same sites', (p) => p.links.push({ ...p.links[0], id: 'link-again', siteA: p.links[0].siteB, siteB: p.links[0].siteA }), 'links[2]: joins the same two sites as links[0]'],
    ['a repeated link id', (p) => (p.links[1].id = p.links[0].id), 'links[1].id: duplicates the id "link-harbour-warehouse" of links[0]'],
    // Issue 14: these passed `project check`, then `schedule` ran out of memory or threw a raw RangeError.
    ['a billion nodes in one row', (p) => (p.devices[0].count = 1e9), 'devices[0].count: expected a whole number from 1 to 100,000 (the limit of nodes per device row, docs/limits.md), got 1000000000'],
    ['1e15 nodes in one row', (p) => (p.devices[0].count = 1e15), 'devices[0].count: expected a whole number from 1 to 100,000'],
    ['a fleet above the limit after expansion', (p) => { for (const d of p.devices) if (!d.host) d.count = 60_000; }, 'devices: stand for'],
    ['an absurdly long period', (p) => (p.placement.periodS = 1e300), 'placement.periodS: expected a number of seconds from 0.001 to 315,360,000 (ten years, docs/limits.md), got 1e+300'],
    ['an absurdly short period', (p) => (p.placement.periodS = 1e-300), 'placement.periodS: expected a number of seconds from 0.001 to 315,360,000'],
    ['too many workloads', (p) => { p.workloads = Array.from({ length: 50_001 }, (_, i) => ({ ...p.workloads[0], id: `w-${i}` })); }, 'workloads: has more than 50,000 rows, the limit (docs/limits.md)'],
    ['an input shape above the element limit', (p) => (p.models[0].inputShapes = { x: [1, 3, 1e6, 1e6] }), 'models[0].inputShapes.x: describes more than 2,147,483,648 elements, the limit of one input (docs/limits.md)'],
    ['an input dimension of 1e12', (p) => (p.models[0].inputShapes = { x: [1, 1e12] }), 'models[0].inputShapes.x[1]: needs dimensions of at most 2,147,483,647 (docs/limits.md)'],
    ['a utilization limit above 1', (p) => (p.placement.utilizationLimit = 1.2), 'placement.utilizationLimit: expected a fraction above 0 and at most 1, got 1.2'],
  ];

  it('accepts a project without links, LANs, power states or a utilization limit (all optional)', () => {
    const bare = mutate((p) => {
      delete p.links;
      for (const s of p.sites) delete s.lan;
      delete p.placement.utilizationLimit;
    });
    expect(validateProject(bare, types).ok).toBe(true);
  });

  it.each(cases)('reports %s with its JSON path', (_name, change, expected) => {
    const result = validateProject(mutate(change), types);
    expect(result.ok).toBe(false);
    const sentences = result.ok ? [] : result.problems.map(problemToSentence);
    expect(sentences.some((s) => s.startsWith(expected))).toBe(true);
  });
});
