/**
 * What the Electron host trusts, as pure decisions over plain values: which URLs are Joule's own
 * pages, which IPC senders may call the services, which permissions a page may have. No Electron
 * import, so the tests check every rule without a window (tests/app/trust.test.ts).
 */

/** Where the window's own pages come from: the dev server (electron-vite dev) or the built folder. */
export type RendererLocation = { kind: 'dev-server'; origin: string } | { kind: 'file'; dirHref: string };

/**
 * The renderer's location from the dev server URL (when set) or the file URL of the folder that
 * holds index.html. The folder's URL always ends with '/', so a sibling folder whose name merely
 * starts the same way is a different place:
 *
 *   rendererLocation(undefined, 'file:///app/out/renderer').dirHref === 'file:///app/out/renderer/'
 *   // and 'file:///app/out/renderer-evil/index.html' is not inside it.
 */
export function rendererLocation(devServerUrl: string | undefined, rendererDirHref: string): RendererLocation {
  if (devServerUrl) return { kind: 'dev-server', origin: new URL(devServerUrl).origin };
  const dir = new URL(rendererDirHref);
  if (dir.protocol !== 'file:') throw new Error(`The renderer folder must be a file: URL, not '${rendererDirHref}'.`);
  dir.search = '';
  dir.hash = '';
  const href = dir.href.endsWith('/') ? dir.href : `${dir.href}/`;
  return { kind: 'file', dirHref: href };
}

/** Percent-encoded '/', '\' and '.': a path that needs them to look like ours is not ours. */
const encodedSeparator = /%(2f|5c|2e)/i;

/**
 * Whether `url` is one of Joule's own pages. The URL is parsed (so `..` segments are resolved
 * before comparing) and compared by origin (dev server) or by folder with its trailing separator
 * (built files); anything unparsable is refused.
 */
export function isRendererUrl(url: string, location: RendererLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  switch (location.kind) {
    case 'dev-server':
      return parsed.origin === location.origin;
    case 'file':
      if (parsed.protocol !== 'file:' || parsed.host !== '' || encodedSeparator.test(parsed.pathname)) return false;
      parsed.search = '';
      parsed.hash = '';
      return parsed.href.startsWith(location.dirHref) && parsed.href.length > location.dirHref.length;
    default: {
      const never: never = location;
      throw new Error(`Unknown renderer location ${JSON.stringify(never)}.`);
    }
  }
}

/** The facts about an IPC call that decide whether Joule's window made it. */
export interface SenderFacts {
  /** The sending WebContents is the main window's (and the window exists). */
  fromMainWindow: boolean;
  /** The sending frame is the top-level frame, not an iframe. */
  fromMainFrame: boolean;
  /** The URL of the sending frame; undefined when the frame is gone. */
  frameUrl: string | undefined;
}

/** Only the main window's top frame, showing one of Joule's own pages, may call the services. */
export function isTrustedSender(facts: SenderFacts, location: RendererLocation): boolean {
  return facts.fromMainWindow && facts.fromMainFrame && facts.frameUrl !== undefined && isRendererUrl(facts.frameUrl, location);
}

/**
 * The web permissions Joule's pages need: none. Clipboard, zoom and full screen go through the
 * native menu, files through native dialogs, so camera, microphone, notifications, geolocation,
 * HID/serial/USB/Bluetooth and the rest are all refused. A permission added here must say why.
 */
export const allowedPermissions: ReadonlySet<string> = new Set<string>();

/** The answer to a permission request or check, for one of Joule's pages or anything else. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, location: RendererLocation): boolean {
  return allowedPermissions.has(permission) && requestingUrl !== undefined && isRendererUrl(requestingUrl, location);
}
