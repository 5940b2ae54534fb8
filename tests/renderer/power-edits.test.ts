import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../src-main/common/project/schema';
import { validateProject } from '../../src-main/common/project/validate';
import { deleteDevices, setField } from '../../src-renderer/stores/project/edits';
import { hostCandidates, setHost, setHostCpuMs, setPowerState, setWakeUpJ } from '../../src-renderer/stores/project/power-edits';

const sample: ProjectDocument = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const problems = (doc: ProjectDocument) => {
  const result = validateProject(doc, null);
  return result.ok ? [] : result.problems;
};
const row = (doc: ProjectDocument, id: string) => doc.devices.find((d) => d.id === id)!;
const index = (id: string) => sample.devices.findIndex((d) => d.id === id);
const isAccelerator = (type: string) => type === 'intel-ncs2';

describe('power state and wake-up edits', () => {
  it('lets a mains row sleep with a wake-up energy, and back to its default', () => {
    const sleepy = setWakeUpJ(setPowerState(sample, ['dev-1'], 'may-sleep'), 'dev-1', 40);
    expect(row(sleepy, 'dev-1')).toMatchObject({ powerState: 'may-sleep', wakeUpJ: 40 });
    expect(problems(sleepy)).toEqual([]);
    // Back to the default: on mains that is always on, which never wakes up.
    const back = setPowerState(sleepy, ['dev-1'], null);
    expect(row(back, 'dev-1')).toEqual(sample.devices[0]);
  });

  it('shows the rule for a wake-up energy on a row that is always on', () => {
    const wrong = setWakeUpJ(sample, 'dev-1', 40);
    expect(problems(wrong)).toEqual([{ path: 'devices[0].wakeUpJ', message: 'is only spent by a device that may sleep; set powerState to "may-sleep" or remove it' }]);
    expect(problems(setWakeUpJ(wrong, 'dev-1', ''))).toEqual([]);
    expect(problems(setWakeUpJ(setPowerState(sample, ['dev-1'], 'may-sleep'), 'dev-1', -3))).toEqual([
      { path: 'devices[0].wakeUpJ', message: 'expected a number of joules of at least 0, got -3' },
    ]);
  });

  it('drops the wake-up energy of a row switched to mains by default (then always on)', () => {
    const budgeted = setWakeUpJ(sample, 'dev-3', 25);
    expect(problems(budgeted)).toEqual([]);
    expect(row(setField(budgeted, ['dev-3'], 'power', 'mains'), 'dev-3').wakeUpJ).toBeUndefined();
    const pinned = setPowerState(budgeted, ['dev-3'], 'may-sleep');
    expect(row(setField(pinned, ['dev-3'], 'power', 'mains'), 'dev-3').wakeUpJ).toBe(25);
  });

  it('leaves an accelerator on a host alone: it sleeps with its host', () => {
    expect(setPowerState(sample, ['dev-6'], 'may-sleep').devices).toEqual(sample.devices);
  });
});

describe('accelerator host edits', () => {
  it('offers the non-accelerator rows at the same site as hosts', () => {
    expect(hostCandidates(sample, 'dev-6', isAccelerator).map((d) => d.id)).toEqual(
      sample.devices.filter((d) => d.siteId === 'site-warehouse' && d.type !== 'intel-ncs2').map((d) => d.id),
    );
  });

  it('unplugs an accelerator and plugs it into a host, taking the host supply and site', () => {
    const alone = setHost(sample, 'dev-6', null);
    expect(row(alone, 'dev-6').host).toBeUndefined();
    expect(problems(alone)).toEqual([]);
    const battery = setField(setField(alone, ['dev-6'], 'power', 'battery'), ['dev-6'], 'energyWh', 10);
    const onForklift = setHost(setPowerState(battery, ['dev-6'], 'always-on'), 'dev-6', 'dev-5');
    expect(row(onForklift, 'dev-6')).toMatchObject({ power: 'battery', energyWh: null, siteId: 'site-warehouse', host: { deviceId: 'dev-5' } });
    expect(row(onForklift, 'dev-6').powerState).toBeUndefined();
    // The host CPU time is the planner's to give: validation asks for it, then the 3 sticks on 2 forklifts.
    expect(problems(onForklift)).toEqual([
      { path: `devices[${index('dev-6')}].host.cpuMsPerInference`, message: 'is missing (expected a number of milliseconds of at least 0)' },
    ]);
    expect(problems(setHostCpuMs(onForklift, 'dev-6', 3))).toEqual([
      { path: `devices[${index('dev-6')}].count`, message: 'is 3, but host row "dev-5" has 2 nodes left without an accelerator (one accelerator per host)' },
    ]);
    expect(row(setHostCpuMs(sample, 'dev-6', 4), 'dev-6').host).toEqual({ deviceId: 'dev-13', cpuMsPerInference: 4 });
  });

  it('moves accelerators with their host and unplugs them when the host row goes', () => {
    const moved = setField(setField(sample, ['dev-13'], 'siteId', 'site-harbour'), ['dev-13'], 'power', 'battery');
    expect(row(moved, 'dev-6')).toMatchObject({ siteId: 'site-harbour', power: 'battery', energyWh: null });
    const gone = deleteDevices(sample, ['dev-13']);
    expect(row(gone, 'dev-6').host).toBeUndefined();
    expect(problems(gone)).toEqual([]);
  });
});
