/**
 * The memory-energy figures of the device library's method (docs/device-library.md), shared by
 * the profiles Joule builds itself (the measured `host`, the `cloud-t4`), so every profile whose
 * `macPJ` is derived from whole-device power is charged the same way.
 */
import type { Figure } from '../../common/devices/profile';

const HOROWITZ = 'Horowitz, "Computing\'s Energy Problem", ISSCC 2014 (640 pJ per 32-bit DRAM read), scaled by Eyeriss ratios as in docs/device-library.md';

/** DRAM, global buffer and register-file energy per byte for a profile with a power-derived `macPJ`. */
export function libraryMemoryEnergy(): { dramPJPerByte: Figure; bufferPJPerByte: Figure; registerPJPerByte: Figure } {
  return {
    dramPJPerByte: { value: 160, source: HOROWITZ, estimate: true },
    bufferPJPerByte: { value: 4.8, source: HOROWITZ, estimate: true },
    registerPJPerByte: {
      value: 0,
      source: "Joule convention: register-file energy is part of this profile's macPJ",
      estimate: true,
      note: 'macPJ is (loaded - idle) / peak MAC rate, which already pays the register traffic of each MAC; charging it again would count it twice.',
    },
  };
}
