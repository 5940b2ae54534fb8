/** HostApi of the Electron window: native dialogs, title, dirty state and closing. */
import { app, dialog, shell, type BrowserWindow } from 'electron';
import type { HostApi } from '../common/api/host';
import { listDirectory } from '../services/files';

export interface WindowState {
  dirty: boolean;
  /** Set when the user already chose to discard unsaved work, so closing does not ask again. */
  closeConfirmed: boolean;
}

export function electronHostApi(getWindow: () => BrowserWindow | null, state: WindowState, onDocumentChanged: () => void): HostApi {
  return {
    async info() {
      return {
        kind: 'electron',
        version: app.getVersion(),
        platform: process.platform,
        locale: app.getLocale(),
        nativeDialogs: true,
        homeDir: app.getPath('home'),
      };
    },
    async showOpenDialog(options) {
      const window = getWindow();
      const dialogOptions = { title: options.title, filters: options.filters, properties: ['openFile' as const] };
      const result = window ? await dialog.showOpenDialog(window, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async showSaveDialog(options) {
      const window = getWindow();
      const dialogOptions = { title: options.title, defaultPath: options.defaultPath, filters: options.filters };
      const result = window ? await dialog.showSaveDialog(window, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
      return result.canceled ? null : (result.filePath ?? null);
    },
    listDirectory,
    async setDocumentState({ title, dirty }) {
      state.dirty = Boolean(dirty);
      const window = getWindow();
      if (window) {
        window.setTitle(`${dirty ? '• ' : ''}${title} — Joule`);
        window.setDocumentEdited(state.dirty);
      }
      onDocumentChanged();
    },
    async showInFolder(path) {
      shell.showItemInFolder(path);
    },
    async closeWindow() {
      state.closeConfirmed = true;
      getWindow()?.close();
    },
  };
}
