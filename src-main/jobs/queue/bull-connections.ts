/**
 * The submitting side's handles on Redis: one producer connection (commands, blobs, queues, flows)
 * and one blocking connection per queue's event listener, opened on first use and all closed
 * together, without waiting long for a Redis that has gone away.
 */
import { FlowProducer, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { BlobStore } from './blob-store';
import { checkReachable, openConnection } from './connection';
import { QUEUE_PREFIX } from './names';

/** How long closing waits for Redis to acknowledge before the connections are dropped. */
const CLOSE_WAIT_MS = 2_000;

export class BullConnections {
  private producer: Redis | null = null;
  private flows: FlowProducer | null = null;
  private reachable: Promise<void> | null = null;
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, Promise<QueueEvents>>();
  /** BullMQ leaves connections it was handed open: these are closed here. */
  private readonly listeners: Redis[] = [];
  private readonly listenersReady: QueueEvents[] = [];

  constructor(
    readonly url: string,
    /** Attaches the executor's handlers to a queue's new event listener. */
    private readonly onEvents: (events: QueueEvents) => void,
  ) {}

  /** A QueueUnavailableError unless Redis answers; checked once until it fails. */
  ensureReachable(): Promise<void> {
    this.reachable ??= checkReachable(this.url).catch((error) => {
      this.reachable = null;
      throw error;
    });
    return this.reachable;
  }

  connection(): Redis {
    this.producer ??= openConnection(this.url, 'producer');
    return this.producer;
  }

  store(): BlobStore {
    return new BlobStore(this.connection());
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection(), prefix: QUEUE_PREFIX });
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  flowProducer(): FlowProducer {
    this.flows ??= new FlowProducer({ connection: this.connection(), prefix: QUEUE_PREFIX });
    return this.flows;
  }

  /** One listener per queue, over its own blocking connection, ready to be listened to. */
  queueEvents(name: string): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      const connection = openConnection(this.url, 'blocking');
      this.listeners.push(connection);
      const created = new QueueEvents(name, { connection, prefix: QUEUE_PREFIX });
      created.on('error', () => {});
      this.onEvents(created);
      events = created.waitUntilReady().then(() => {
        this.listenersReady.push(created);
        return created;
      });
      events.catch(() => {});
      this.events.set(name, events);
    }
    return events;
  }

  /** Waits for Redis when it is reachable, and not long when it is not. */
  async close(): Promise<void> {
    const closing = Promise.allSettled([...this.listenersReady.map((e) => e.close()), ...[...this.queues.values()].map((q) => q.close()), this.flows?.close()]);
    await Promise.race([closing, new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    this.producer?.disconnect();
    for (const redis of this.listeners) redis.disconnect();
  }
}
