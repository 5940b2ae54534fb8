/**
 * The preload of Joule's sandboxed window. It exposes exactly one object, `window.joule`: a bridge
 * that can invoke the contract's methods and receive host events, nothing else (no raw
 * ipcRenderer, no Node). The window builds its typed API on top with `createApiClient`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { channelOf, isApiMethod } from '../common/api';
import type { JouleBridge } from '../common/api/bridge';
import type { JouleEvent } from '../common/api/events';

const bridge: JouleBridge = {
  invoke(service, method, args) {
    if (!isApiMethod(service, method)) {
      return Promise.resolve({ ok: false, error: { name: 'InvalidRequestError', message: `"${service}.${method}" is not a Joule API method.` } });
    }
    return ipcRenderer.invoke(`joule:${channelOf(service, method)}`, args);
  },
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, payload: JouleEvent) => listener(payload);
    ipcRenderer.on('joule:event', handler);
    return () => ipcRenderer.removeListener('joule:event', handler);
  },
  pathForFile(file) {
    // Electron no longer exposes File.path; webUtils reads it for files dropped on the window.
    return file instanceof File ? webUtils.getPathForFile(file) || null : null;
  },
};

contextBridge.exposeInMainWorld('joule', bridge);
