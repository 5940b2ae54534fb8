/** Fan-out of host events to every subscribed window or client. */
import type { JouleEvent, JouleEventListener } from '../common/api/events';

export class EventBus {
  private readonly listeners = new Set<JouleEventListener>();

  subscribe(listener: JouleEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: JouleEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed connection) must not starve the others.
      }
    }
  }
}
