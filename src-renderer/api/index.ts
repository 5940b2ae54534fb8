/**
 * The window's one way to reach Joule: the typed API object. It is built at start-up from the
 * Electron preload's bridge when there is one, else from the browser host's HTTP bridge; nothing
 * else in the window knows which host it runs in.
 */
import { createApiClient, type JouleBridge } from '../../src-main/common/api/bridge';
import type { JouleApi } from '../../src-main/common/api';
import { createHttpBridge } from './http-bridge';

declare global {
  interface Window {
    joule?: JouleBridge;
  }
}

let api: JouleApi | null = null;

export function useApi(): JouleApi {
  api ??= createApiClient(window.joule ?? createHttpBridge());
  return api;
}
