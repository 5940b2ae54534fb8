import { describe, expect, it } from 'vitest';
import { allowedPermissions, isPermissionAllowed, isRendererUrl, isTrustedSender, rendererLocation, type SenderFacts } from '../../src-main/app/trust';

const built = rendererLocation(undefined, 'file:///opt/Joule/resources/app.asar/out/renderer');
const dev = rendererLocation('http://localhost:5173/', 'file:///ignored');
const windows = rendererLocation(undefined, 'file:///C:/Program%20Files/Joule/resources/app.asar/out/renderer');

describe('rendererLocation', () => {
  it('ends the folder with a separator and keeps only the dev server origin', () => {
    expect(built).toEqual({ kind: 'file', dirHref: 'file:///opt/Joule/resources/app.asar/out/renderer/' });
    expect(rendererLocation(undefined, 'file:///a/out/renderer/')).toEqual({ kind: 'file', dirHref: 'file:///a/out/renderer/' });
    expect(dev).toEqual({ kind: 'dev-server', origin: 'http://localhost:5173' });
  });

  it('refuses a renderer folder that is not a file URL', () => {
    expect(() => rendererLocation(undefined, 'https://example.com/out/renderer')).toThrow(/must be a file: URL/);
  });
});

describe('isRendererUrl', () => {
  // [url, expected] for the built window: one corpus, so a new bypass is one more row.
  const corpus: [string, boolean][] = [
    ['file:///opt/Joule/resources/app.asar/out/renderer/index.html', true],
    ['file:///opt/Joule/resources/app.asar/out/renderer/index.html#/energy?tab=2', true],
    ['file:///opt/Joule/resources/app.asar/out/renderer/assets/index-B07.js', true],
    // The sibling-folder bypass of the old prefix check (no trailing separator).
    ['file:///opt/Joule/resources/app.asar/out/renderer-evil/index.html', false],
    ['file:///opt/Joule/resources/app.asar/out/rendererX', false],
    // Dot segments are resolved before comparing.
    ['file:///opt/Joule/resources/app.asar/out/renderer/../renderer-evil/index.html', false],
    ['file:///opt/Joule/resources/app.asar/out/renderer/%2e%2e/renderer-evil/index.html', false],
    ['file:///opt/Joule/resources/app.asar/out/renderer/..%2f..%2fevil.html', false],
    ['file:///opt/Joule/resources/app.asar/out/renderer/..%5cevil.html', false],
    // The folder itself is not a page (a directory listing).
    ['file:///opt/Joule/resources/app.asar/out/renderer/', false],
    ['file:///opt/Joule/resources/app.asar/out/renderer', false],
    // Other hosts, schemes and garbage.
    ['file://evil.example/opt/Joule/resources/app.asar/out/renderer/index.html', false],
    ['https://evil.example/opt/Joule/resources/app.asar/out/renderer/index.html', false],
    ['javascript:alert(1)', false],
    ['about:blank', false],
    ['data:text/html,<script>1</script>', false],
    ['not a url', false],
    ['', false],
  ];
  it.each(corpus)('%s -> %s', (url, expected) => {
    expect(isRendererUrl(url, built)).toBe(expected);
  });

  it('compares a Windows folder by its encoded file URL', () => {
    expect(isRendererUrl('file:///C:/Program%20Files/Joule/resources/app.asar/out/renderer/index.html', windows)).toBe(true);
    expect(isRendererUrl('file:///C:/Program%20Files/Joule/resources/app.asar/out/renderer-evil/index.html', windows)).toBe(false);
  });

  it('accepts only the dev server origin in development', () => {
    expect(isRendererUrl('http://localhost:5173/#/plan', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:51730/', dev)).toBe(false);
    expect(isRendererUrl('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isRendererUrl('https://localhost:5173/', dev)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const page = 'file:///opt/Joule/resources/app.asar/out/renderer/index.html';
  const ok: SenderFacts = { fromMainWindow: true, fromMainFrame: true, frameUrl: page };

  it('trusts the main window top frame on its own page', () => {
    expect(isTrustedSender(ok, built)).toBe(true);
  });

  it('refuses other windows, iframes, gone frames and foreign pages', () => {
    expect(isTrustedSender({ ...ok, fromMainWindow: false }, built)).toBe(false);
    expect(isTrustedSender({ ...ok, fromMainFrame: false }, built)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: undefined }, built)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///opt/Joule/resources/app.asar/out/renderer-evil/index.html' }, built)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, built)).toBe(false);
  });
});

describe('permissions', () => {
  it('allows nothing, even to Joule pages', () => {
    expect(allowedPermissions.size).toBe(0);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'hid', 'serial', 'usb', 'openExternal', 'fileSystem']) {
      expect(isPermissionAllowed(permission, 'file:///opt/Joule/resources/app.asar/out/renderer/index.html', built)).toBe(false);
      expect(isPermissionAllowed(permission, 'https://evil.example/', built)).toBe(false);
    }
  });
});
