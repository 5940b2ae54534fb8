/** The energy view's charts show the parts a report charges, and no column of zeros. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnergyReport } from '../../src-main/common/api/energy';
import { eyerissProfile } from '../../src-main/core/energy/builtin-profiles';
import { DeviceLibrary } from '../../src-main/core/energy/device-library';
import { analyzeModel } from '../../src-main/core/energy/analyze';
import { toReport } from '../../src-main/jobs/tasks/energy-analysis';
import { zoo } from '../../src-main/core/zoo/registry';
import { chargedParts, deviceComparisonOption, layerEnergyOption } from '../../src-renderer/charts/energy';

const labels = { computeJ: 'c', dramJ: 'd', bufferJ: 'b', rfJ: 'r', staticJ: 's', latency: 'l' };
let nano: EnergyReport;
let eyeriss: EnergyReport;

beforeAll(async () => {
  const library = await DeviceLibrary.load(path.resolve(import.meta.dirname, '../../resources/devices'));
  nano = toReport(analyzeModel(zoo.squeezenet1_1.build(), library.get('jetson-nano-10w'), { precision: 'fp16' }));
  eyeriss = toReport(analyzeModel(zoo.squeezenet1_1.build(), eyerissProfile(), { precision: 'fp16' }));
});

describe('energy charts', () => {
  it('leave out the register-file part on library devices, which charge it inside the MAC', () => {
    expect(chargedParts([nano])).toEqual(['computeJ', 'dramJ', 'bufferJ', 'staticJ']);
    expect(layerEnergyOption(nano, labels).series.map((s) => s.name)).toEqual(['c', 'd', 'b', 's']);
    expect(deviceComparisonOption([nano], labels).series.map((s) => s.name)).toEqual(['c', 'd', 'b', 's', 'l']);
  });

  it('keep it for the Eyeriss profile, which separates register and array traffic', () => {
    expect(chargedParts([eyeriss])).toContain('rfJ');
    expect(layerEnergyOption(eyeriss, labels).series.map((s) => s.name)).toContain('r');
  });
});
