/**
 * Edits of a device row's power state, wake-up energy and accelerator host as pure functions
 * (old document in, new document out). The rules they keep are in
 * src-main/common/project/fleet-rules.ts; docs/placement.md explains the terms.
 */
import type { PowerState } from '../../../src-main/common/placement/power';
import { devicePowerState } from '../../../src-main/common/project/fleet-rules';
import type { Device, ProjectDocument } from '../../../src-main/common/project/schema';
import type { CellValue } from './cell-value';

const isEmpty = (value: CellValue) => value === null || value === '';

function mapRows(document: ProjectDocument, ids: readonly string[], edit: (device: Device) => Device): ProjectDocument {
  const targets = new Set(ids);
  return { ...document, devices: document.devices.map((d) => (targets.has(d.id) ? edit(d) : d)) };
}

/** The row without a wake-up energy once it is always on (it would never wake up). */
export function withoutWakeUpIfAlwaysOn(device: Device): Device {
  if (device.wakeUpJ === undefined || devicePowerState(device) !== 'always-on') return device;
  const { wakeUpJ: _dropped, ...rest } = device;
  return rest;
}

/**
 * Sets the power state of rows that are not accelerators on a host (those follow their host);
 * null returns a row to the default its supply implies. An always-on row loses its wake-up energy.
 *
 * @example setPowerState(doc, ['dev-3'], 'always-on') // a Pi on a daily budget that never sleeps
 */
export function setPowerState(document: ProjectDocument, ids: readonly string[], state: PowerState | null): ProjectDocument {
  return mapRows(document, ids, (device) => {
    if (device.host) return device;
    const { powerState: _old, ...rest } = device;
    return withoutWakeUpIfAlwaysOn(state === null ? rest : { ...rest, powerState: state });
  });
}

/** Sets the energy a row's nodes spend to wake up (J per period); empty removes it. */
export function setWakeUpJ(document: ProjectDocument, id: string, value: CellValue): ProjectDocument {
  return mapRows(document, [id], (device) => {
    const { wakeUpJ: _old, ...rest } = device;
    return isEmpty(value) ? rest : ({ ...rest, wakeUpJ: value } as Device);
  });
}

/**
 * Plugs an accelerator row into a host row (or unplugs it, with null). Plugged in, it takes the
 * host's site and supply and drops its own power state, wake-up and energy figures, which the
 * host's stand for; it keeps the host CPU time it had (else validation asks for it).
 */
export function setHost(document: ProjectDocument, id: string, hostId: string | null): ProjectDocument {
  const host = hostId === null ? undefined : document.devices.find((d) => d.id === hostId);
  if (hostId !== null && !host) return document;
  return mapRows(document, [id], (device) => {
    const { host: old, powerState: _state, wakeUpJ: _wake, ...rest } = device;
    if (!host) {
      const { host: _unplugged, ...alone } = device;
      return alone;
    }
    // cpuMsPerInference is required; absent, validation says "is missing (expected ...)".
    const plugged = { deviceId: host.id, ...(old ? { cpuMsPerInference: old.cpuMsPerInference } : {}) } as Device['host'];
    return { ...rest, siteId: host.siteId, power: host.power, energyWh: null, host: plugged };
  });
}

/** Sets the host compute time per inference of an accelerator row (ms of the host's whole compute); empty removes it. */
export function setHostCpuMs(document: ProjectDocument, id: string, value: CellValue): ProjectDocument {
  return mapRows(document, [id], (device) => {
    if (!device.host) return device;
    const { cpuMsPerInference: _old, ...rest } = device.host;
    return { ...device, host: (isEmpty(value) ? rest : { ...rest, cpuMsPerInference: value }) as Device['host'] };
  });
}

/**
 * The rows an accelerator row may be plugged into: rows at its site that are not accelerators
 * themselves (by library type or by having a host).
 */
export function hostCandidates(document: ProjectDocument, id: string, isAccelerator: (type: string) => boolean): Device[] {
  const device = document.devices.find((d) => d.id === id);
  if (!device) return [];
  return document.devices.filter((d) => d.id !== id && d.siteId === device.siteId && !d.host && !isAccelerator(d.type));
}
