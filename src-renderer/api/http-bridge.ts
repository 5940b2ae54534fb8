/**
 * The bridge of the browser host: API calls as `POST /api/<service>/<method>`, events as
 * server-sent events. The per-launch token travels in an HttpOnly cookie set by the server, so
 * this code never sees it.
 */
import type { JouleBridge } from '../../src-main/common/api/bridge';
import type { Envelope, JouleEvent, JouleEventListener } from '../../src-main/common/api';

export function createHttpBridge(base = ''): JouleBridge {
  const listeners = new Set<JouleEventListener>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource(`${base}/api/events`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data as string) as JouleEvent;
      for (const listener of listeners) listener(event);
    };
  };
  return {
    async invoke(service, method, args) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/${service}/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(args),
        });
      } catch {
        return { ok: false, error: { name: 'JouleError', message: 'Joule\'s server does not answer; is "joule serve" still running?' } };
      }
      if (response.status === 401) {
        return { ok: false, error: { name: 'JouleError', message: 'This page lost its access token; open the address printed by "joule serve" again.' } };
      }
      // A refused path (403) still carries its typed error envelope.
      if (response.headers.get('content-type')?.startsWith('application/json')) return (await response.json()) as Envelope;
      if (!response.ok) return { ok: false, error: { name: 'JouleError', message: `Joule's server answered ${response.status}: ${await response.text()}` } };
      return (await response.json()) as Envelope;
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => listeners.delete(listener);
    },
  };
}
