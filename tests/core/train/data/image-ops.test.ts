import { describe, expect, it } from 'vitest';
import { convertChannels, convertPlanarImages, resizeToPlanar } from '../../../../src-main/core/train/data/image-ops';

function resize(src: number[], h: number, w: number, c: number, toH: number, toW: number): number[] {
  const out = new Uint8Array(c * toH * toW);
  resizeToPlanar(Uint8Array.from(src), h, w, c, out, 0, toH, toW);
  return Array.from(out);
}

describe('image operations', () => {
  it('resizes bilinearly with half-pixel centres', () => {
    // Output x samples source (x + 0.5) / 2 - 0.5: -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    expect(resize([0, 255], 1, 2, 1, 1, 4)).toEqual([0, 64, 191, 255]);
    expect(resize([0, 100, 200, 40], 2, 2, 1, 1, 1)).toEqual([85]);
    expect(resize(new Array(5 * 7).fill(77), 5, 7, 1, 3, 4)).toEqual(new Array(12).fill(77));
  });

  it('reorders interleaved pixels to planar and resizes every channel', () => {
    expect(resize([1, 2, 3, 4, 5, 6], 1, 2, 3, 1, 2)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(resize([0, 10, 255, 30], 1, 2, 2, 1, 4)).toEqual([0, 64, 191, 255, 10, 15, 25, 30]);
  });

  it('converts channels with BT.601 luma and drops alpha', () => {
    expect(Array.from(convertChannels(Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255), 3, 1, 3))).toEqual([76, 150, 29]);
    expect(Array.from(convertChannels(Uint8Array.of(9, 200), 2, 3, 1))).toEqual([9, 9, 9]);
    expect(Array.from(convertChannels(Uint8Array.of(1, 2, 3, 4), 4, 3, 1))).toEqual([1, 2, 3]);
    expect(Array.from(convertChannels(Uint8Array.of(7), 1, 3, 1))).toEqual([7, 7, 7]);
  });

  it('converts whole planar datasets (grey 2x2 to RGB 4x4 and back)', () => {
    const grey = Uint8Array.of(0, 60, 120, 180, 10, 10, 10, 10);
    const rgb = convertPlanarImages(grey, 2, { channels: 1, height: 2, width: 2 }, { channels: 3, height: 4, width: 4 });
    expect(rgb.length).toBe(2 * 3 * 16);
    const plane = rgb.subarray(0, 16);
    expect(rgb.subarray(16, 32)).toEqual(plane);
    expect(rgb.subarray(32, 48)).toEqual(plane);
    expect(Array.from(plane.subarray(0, 4))).toEqual([0, 15, 45, 60]);
    expect(rgb.subarray(48)).toEqual(new Uint8Array(48).fill(10));
    const back = convertPlanarImages(rgb, 2, { channels: 3, height: 4, width: 4 }, { channels: 1, height: 2, width: 2 });
    expect(Array.from(back.subarray(4))).toEqual([10, 10, 10, 10]);
  });
});
