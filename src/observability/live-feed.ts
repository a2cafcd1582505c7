import { BoundedQueue } from './bounded-queue.js';
import type { RequestLogEntry, RequestLogSink } from './request-log-entry.js';

/** One entry handed to a subscriber. */
export interface LiveFeedDelivery {
  entry: RequestLogEntry;
  /** Entries this subscriber lost (buffer full) between the previous delivery and this one. */
  missedBefore: number;
}

/**
 * One subscriber's view of the feed: entries recorded after it subscribed, in order. Pull them with
 * `next()` or `for await`. A subscriber that pulls slower than entries arrive loses the oldest
 * unread ones beyond its buffer; `dropped` counts them and each delivery says how many it follows.
 */
export interface LiveFeedSubscription extends AsyncIterable<LiveFeedDelivery> {
  /** The next delivery, waiting for one if none is buffered; null once the subscription is closed. */
  next(): Promise<LiveFeedDelivery | null>;
  /** Entries this subscriber lost because its buffer was full. */
  readonly dropped: number;
  /** Entries buffered and not yet pulled. */
  readonly buffered: number;
  /** Stops the subscription and discards what is buffered; a pending `next()` resolves with null. Idempotent. */
  close(): void;
}

export interface LiveFeedOptions {
  /** Entries buffered per subscriber before the oldest are dropped. Default 256. */
  bufferSize?: number;
}

class Subscription implements LiveFeedSubscription {
  private readonly queue: BoundedQueue<RequestLogEntry>;
  private waiting: ((delivery: LiveFeedDelivery | null) => void) | null = null;
  private closed = false;
  // Drop-oldest means the gap is always just before the head of the buffer.
  private missedBeforeHead = 0;

  constructor(
    bufferSize: number,
    private readonly onClose: (subscription: Subscription) => void,
  ) {
    this.queue = new BoundedQueue(bufferSize);
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  get buffered(): number {
    return this.queue.size;
  }

  deliver(entry: RequestLogEntry): void {
    if (this.closed) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = null;
      waiting({ entry, missedBefore: 0 });
      return;
    }
    if (!this.queue.push(entry)) this.missedBeforeHead += 1;
  }

  next(): Promise<LiveFeedDelivery | null> {
    const buffered = this.queue.shift();
    if (buffered !== undefined) {
      const missedBefore = this.missedBeforeHead;
      this.missedBeforeHead = 0;
      return Promise.resolve({ entry: buffered, missedBefore });
    }
    if (this.closed) return Promise.resolve(null);
    // One reader per subscription; a second pending reader would silently steal entries.
    if (this.waiting) return Promise.reject(new Error('LiveFeedSubscription.next() is already pending'));
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.clear();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(null);
    this.onClose(this);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LiveFeedDelivery> {
    try {
      for (;;) {
        const delivery = await this.next();
        if (delivery === null) return;
        yield delivery;
      }
    } finally {
      this.close();
    }
  }
}

/**
 * Broadcasts each recorded request to every current subscriber (the Monitor's live view, through
 * `GET /api/logs/stream`). Recording never blocks: each subscriber has its own bounded buffer.
 */
export class LiveFeed implements RequestLogSink {
  private readonly subscriptions = new Set<Subscription>();
  private readonly bufferSize: number;

  constructor(options: LiveFeedOptions = {}) {
    this.bufferSize = options.bufferSize ?? 256;
  }

  /** Hands the entry to every subscriber. */
  record(entry: RequestLogEntry): void {
    for (const subscription of this.subscriptions) subscription.deliver(entry);
  }

  /** A new subscription, receiving entries recorded from now on. Close it when done. */
  subscribe(): LiveFeedSubscription {
    const subscription = new Subscription(this.bufferSize, (closed) => this.subscriptions.delete(closed));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Subscriptions currently open. */
  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** Closes every subscription (on shutdown). */
  closeAll(): void {
    for (const subscription of [...this.subscriptions]) subscription.close();
  }
}
