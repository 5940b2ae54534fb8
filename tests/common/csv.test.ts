import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../../src-main/common/csv/csv';
import { exportDevicesCsv, importDevicesCsv, type TypeDefaults } from '../../src-main/common/csv/devices-csv';
import type { ProjectDocument } from '../../src-main/common/project/schema';

const sample: ProjectDocument = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const defaults = (type: string): TypeDefaults | null =>
  ['raspberry-pi-4', 'coral-dev-board', 'jetson-nano-5w'].includes(type) ? { ramMB: 4096, storageGB: 32, radio: 'wifi', uplinkMbps: 100 } : null;

describe('CSV', () => {
  it('round-trips quotes, commas and line breaks', () => {
    const rows = [['a', 'b,c', 'say "hi"'], ['multi\nline', '', ' padded ']];
    expect(parseCsv(formatCsv(rows)).map((r) => r.fields)).toEqual(rows);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a,b\n"oops,c\n')).toThrow('Line 2: a quoted field is never closed.');
  });

  it('exports the inventory and imports it back to the same devices', () => {
    const csv = exportDevicesCsv(sample);
    const empty = { ...sample, devices: [] };
    const types = new Set(sample.devices.map((d) => d.type));
    const result = importDevicesCsv(csv, empty, (t) => (types.has(t) ? { ramMB: 1, storageGB: 1, radio: 'wifi', uplinkMbps: 1 } : null));
    expect(result.errors).toEqual([]);
    expect(result.newSites).toEqual([]);
    // Ids are fresh on import: compare rows, and hosts, by name.
    const strip = (list: ProjectDocument['devices']) =>
      list.map(({ id: _id, host, ...rest }) => ({ ...rest, ...(host ? { host: { ...host, deviceId: list.find((d) => d.id === host.deviceId)?.name } } : {}) }));
    expect(strip(result.devices)).toEqual(strip(sample.devices));
    expect(result.devices.find((d) => d.host)?.host?.deviceId).toBe(result.devices.find((d) => d.name === 'Dock gateway')?.id);
  });

  it("names an accelerator's host row by name and refuses a host it cannot find", () => {
    const csv = [
      'name,type,site,power,powerState,wakeUpJ,host,hostCpuMs',
      'Gateway,raspberry-pi-4,Harbour gate,mains,may-sleep,30,,',
      'Stick,raspberry-pi-4,Harbour gate,mains,,,Gateway,2.5',
      'Lost stick,raspberry-pi-4,Harbour gate,mains,,,Nobody,2',
      'Odd,raspberry-pi-4,Harbour gate,mains,,,,4',
    ].join('\n');
    const result = importDevicesCsv(csv, { ...sample, devices: [] }, defaults);
    expect(result.devices.map((d) => d.name)).toEqual(['Gateway', 'Stick']);
    expect(result.devices[0]).toMatchObject({ powerState: 'may-sleep', wakeUpJ: 30 });
    expect(result.devices[1].host).toEqual({ deviceId: result.devices[0].id, cpuMsPerInference: 2.5 });
    expect(result.errors).toEqual([
      { line: 4, message: 'Line 4: host: no device row is named "Nobody".' },
      { line: 5, message: 'Line 5: hostCpuMs: only an accelerator with a host has one; give the host column too.' },
    ]);
  });

  it('fills defaults from the device type and creates new sites by name', () => {
    const csv = 'name,type,site\nRoof cam,raspberry-pi-4,Roof\nRoof cam 2,raspberry-pi-4,roof\n';
    const result = importDevicesCsv(csv, sample, defaults);
    expect(result.errors).toEqual([]);
    expect(result.newSites).toEqual([{ id: 'site-roof', name: 'Roof' }]);
    expect(result.devices[0]).toMatchObject({ name: 'Roof cam', count: 1, ramMB: 4096, power: 'mains', energyWh: null, radio: 'wifi', siteId: 'site-roof' });
    expect(result.devices[1].siteId).toBe('site-roof');
    expect(new Set(result.devices.map((d) => d.id)).size).toBe(2);
  });

  it('reports every bad row with its line and what is wrong', () => {
    const csv = [
      'name,type,site,count,ramMB,power,energyWh',
      'Good,raspberry-pi-4,Harbour gate,2,4096,mains,',
      'Bad RAM,raspberry-pi-4,Harbour gate,1,4GB,mains,',
      'Bad type,jetson-tx2,Harbour gate,1,4096,mains,',
      'No energy,coral-dev-board,Harbour gate,1,1024,battery,',
      'Short row,raspberry-pi-4',
    ].join('\n');
    const result = importDevicesCsv(csv, sample, defaults);
    expect(result.rowCount).toBe(5);
    expect(result.devices.map((d) => d.name)).toEqual(['Good']);
    expect(result.errors).toEqual([
      { line: 3, message: 'Line 3: ramMB: expected a positive number, got "4GB".' },
      { line: 4, message: 'Line 4: type: unknown device type "jetson-tx2"; storageGB: is missing (expected a positive number).' },
      { line: 5, message: 'Line 5: energyWh: needs a value for power "battery".' },
      { line: 6, message: 'Line 6 has 2 fields; the header has 7.' },
    ]);
  });

  it('rejects a header with unknown or missing columns', () => {
    const result = importDevicesCsv('name,kind\nA,b\n', sample, defaults);
    expect(result.errors.map((e) => e.message)).toEqual([
      'Unknown column "kind"; the columns are name, type, site, count, ramMB, storageGB, power, energyWh, uplinkMbps, radio, powerState, wakeUpJ, host, hostCpuMs, notes.',
      'The header lacks the required column "type".',
      'The header lacks the required column "site".',
    ]);
  });
});
