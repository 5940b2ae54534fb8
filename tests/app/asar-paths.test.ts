import { describe, expect, it } from 'vitest';
import { electronBundleDir } from '../../src-main/app/asar-paths';

describe('electronBundleDir', () => {
  it('moves the main bundle folder from app.asar to app.asar.unpacked', () => {
    expect(electronBundleDir('/opt/Joule/resources/app.asar/out/main', '/')).toBe('/opt/Joule/resources/app.asar.unpacked/out/main');
    expect(electronBundleDir('C:\\Joule\\resources\\app.asar\\out\\main', '\\')).toBe('C:\\Joule\\resources\\app.asar.unpacked\\out\\main');
    expect(electronBundleDir('/opt/Joule/resources/app.asar', '/')).toBe('/opt/Joule/resources/app.asar.unpacked');
  });

  it('leaves folders outside an archive and look-alike names alone', () => {
    expect(electronBundleDir('/home/me/joule/out/main', '/')).toBe('/home/me/joule/out/main');
    expect(electronBundleDir('/opt/app.asar-old/out/main', '/')).toBe('/opt/app.asar-old/out/main');
    expect(electronBundleDir('/opt/my.app.asar/out/main', '/')).toBe('/opt/my.app.asar/out/main');
  });
});
