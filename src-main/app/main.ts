/**
 * The Electron host: one sandboxed window over the shared services. This file wires things
 * together and holds no product logic; the services and the window do the work.
 */
import { app, BrowserWindow, dialog, Menu, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JouleEvent } from '../common/api/events';
import { contentSecurityPolicy } from '../common/csp';
import { createRuntime, withHost, type Runtime } from '../services';
import { electronHostApi, type WindowState } from './host-api';
import { EVENT_CHANNEL, registerIpc } from './ipc';
import { buildMenu } from './menu';
import { electronBundleDir } from './asar-paths';
import { electronResourcesDir } from './paths';
import { isPermissionAllowed, isRendererUrl, isTrustedSender, rendererLocation } from './trust';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererEntry = path.join(here, '../renderer/index.html');
const renderer = rendererLocation(devServerUrl, pathToFileURL(path.dirname(rendererEntry)).href);

let mainWindow: BrowserWindow | null = null;
let runtime: Runtime | null = null;
const windowState: WindowState = { dirty: false, closeConfirmed: false };

function send(event: JouleEvent): void {
  mainWindow?.webContents.send(EVENT_CHANNEL, event);
}

function isFromJoulesWindow(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(
    {
      fromMainWindow: mainWindow !== null && event.sender === mainWindow.webContents,
      fromMainFrame: frame !== null && frame.parent === null,
      frameUrl: frame?.url,
    },
    renderer,
  );
}

async function refreshMenu(): Promise<void> {
  const recent = runtime ? await runtime.services.project.recent() : [];
  Menu.setApplicationMenu(buildMenu(send, recent, !app.isPackaged));
}

/** The URL of the page that asks for a permission, whichever form Electron gives it in. */
function requestingUrl(contents: WebContents | null, details: { requestingUrl?: string }): string | undefined {
  return details.requestingUrl ?? contents?.getURL();
}

/**
 * Electron's security checklist, applied to every session and WebContents: no permission, no
 * device, no new window, no navigation or redirect away from Joule's own pages, no <webview>.
 * docs/security.md lists each item with its line here.
 */
function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) => callback(isPermissionAllowed(permission, requestingUrl(contents, details), renderer)));
  ses.setPermissionCheckHandler((contents, permission, origin, details) => isPermissionAllowed(permission, details.requestingUrl ?? origin, renderer));
  ses.setDevicePermissionHandler(() => false);
  // Device choosers pick the first device when nobody handles them: refuse instead.
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayOnJoulesPages = (event: { preventDefault(): void }, url: string): void => {
      if (!isRendererUrl(url, renderer)) event.preventDefault();
    };
    contents.on('will-navigate', stayOnJoulesPages);
    contents.on('will-frame-navigate', (event) => stayOnJoulesPages(event, event.url));
    contents.on('will-redirect', stayOnJoulesPages);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('select-bluetooth-device', (event, _devices, callback) => {
      event.preventDefault();
      callback('');
    });
  });
}

function createWindow(): BrowserWindow {
  windowState.closeConfirmed = false;
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Joule',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Developer tools only when run from the sources; a packaged window has no inspector.
      devTools: !app.isPackaged,
      // Middle-click would try to open links in a new window: nothing in Joule needs it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (!windowState.dirty || windowState.closeConfirmed) return;
    event.preventDefault();
    void dialog
      .showMessageBox(window, {
        type: 'warning',
        buttons: ['Save', "Don't Save", 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        message: 'Save changes to this project before closing?',
        detail: 'Your changes will be lost if you close without saving.',
      })
      .then(({ response }) => {
        if (response === 0) send({ type: 'menu.command', command: 'file.saveAndClose' });
        if (response === 1) {
          windowState.closeConfirmed = true;
          window.close();
        }
      });
  });
  window.on('closed', () => {
    mainWindow = null;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererEntry);
  return window;
}

async function start(): Promise<void> {
  // Worker threads (jobs, ACO colonies, HiGHS) find their bundles here; see core/workers/start.ts.
  process.env.JOULE_BUNDLE_DIR = electronBundleDir(here);
  await app.whenReady();
  hardenSessions();
  runtime = await createRuntime({
    resourcesDir: electronResourcesDir(),
    dataDir: app.getPath('userData'),
    documentsDir: app.getPath('documents'),
    queue: 'remembered',
  });
  runtime.events.subscribe(send);
  const host = electronHostApi(() => mainWindow, windowState, () => void refreshMenu());
  registerIpc(withHost(runtime, host), isFromJoulesWindow);
  await refreshMenu();
  mainWindow = createWindow();
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => mainWindow?.focus());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void runtime?.close());
  start().catch((error: Error) => {
    console.error(`Joule could not start: ${error.message}`);
    app.exit(1);
  });
}
