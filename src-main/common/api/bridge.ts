/**
 * The transport under the window's API object. The Electron preload exposes one as `window.joule`;
 * the browser client implements the same over HTTP and server-sent events. `createApiClient`
 * turns either into the typed `JouleApi`.
 */
import { deserializeError } from '../errors';
import type { JouleEventListener } from './events';
import { apiMethods, type Envelope, type JouleApi, type JouleServices } from './index';

export interface JouleBridge {
  invoke(service: string, method: string, args: unknown[]): Promise<Envelope>;
  onEvent(listener: JouleEventListener): () => void;
  /** The local path of a file dropped on the window, where the host can tell it (Electron). */
  pathForFile?(file: unknown): string | null;
}

/** Builds the typed API from the contract's method list: every method forwards to the bridge. */
export function createApiClient(bridge: JouleBridge): JouleApi {
  const api: Record<string, unknown> = { onEvent: (listener: JouleEventListener) => bridge.onEvent(listener) };
  for (const [service, methods] of Object.entries(apiMethods)) {
    const target: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of methods as readonly string[]) {
      target[method] = async (...args: unknown[]) => {
        const envelope = await bridge.invoke(service, method, args);
        if (!envelope.ok) throw deserializeError(envelope.error);
        return envelope.value;
      };
    }
    api[service] = target;
  }
  return api as unknown as JouleServices & Pick<JouleApi, 'onEvent'>;
}
