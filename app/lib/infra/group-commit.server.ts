// Group commit: callers that arrive while a write is in flight are written together, in one
// statement and one commit, when it finishes. Each caller's promise settles only after its
// item is committed (or has failed), so an acknowledged item is never lost. The queue is
// bounded: past `maxPending` a new item is refused at once instead of piling up in memory.

export class QueueFullError extends Error {
  constructor(limit: number) {
    super(`The write queue is full (${limit} items waiting).`);
    this.name = "QueueFullError";
  }
}

export class QueueClosedError extends Error {
  constructor() {
    super("The write queue is closed.");
    this.name = "QueueClosedError";
  }
}

export class DeadlineExceededError extends Error {
  constructor() {
    super("The item waited past its deadline and was not written.");
    this.name = "DeadlineExceededError";
  }
}

interface Pending<Item, Result> {
  item: Item;
  deadline: number;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<Item, Result> {
  /** Writes a batch; returns one result per item, in order. Must be one transaction. */
  write: (items: Item[]) => Promise<Result[]>;
  maxBatchSize?: number;
  /** Items waiting (queued or in flight) beyond which push() refuses new ones. */
  maxPending?: number;
  /** Batches written at the same time (keep below the connection pool size). */
  maxConcurrentWrites?: number;
}

export interface GroupCommitStats {
  pending: number;
  writesInFlight: number;
  batches: number;
  itemsWritten: number;
  largestBatch: number;
}

export class GroupCommitQueue<Item, Result> {
  private readonly queue: Pending<Item, Result>[] = [];
  private inFlightItems = 0;
  private writesInFlight = 0;
  private scheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly stats = { batches: 0, itemsWritten: 0, largestBatch: 0 };
  private readonly write: (items: Item[]) => Promise<Result[]>;
  private readonly maxBatchSize: number;
  private readonly maxPending: number;
  private readonly maxConcurrentWrites: number;

  constructor(options: GroupCommitOptions<Item, Result>) {
    this.write = options.write;
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxPending = options.maxPending ?? 5000;
    this.maxConcurrentWrites = options.maxConcurrentWrites ?? 2;
  }

  /**
   * Queues an item; resolves with its result once committed. An item still waiting at its
   * deadline (ms since epoch) is dropped unwritten and rejected with DeadlineExceededError.
   */
  push(item: Item, deadline = Number.POSITIVE_INFINITY): Promise<Result> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    if (this.queue.length + this.inFlightItems >= this.maxPending) {
      return Promise.reject(new QueueFullError(this.maxPending));
    }
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, deadline, resolve, reject });
      this.schedule();
    });
  }

  getStats(): GroupCommitStats {
    return {
      pending: this.queue.length + this.inFlightItems,
      writesInFlight: this.writesInFlight,
      ...this.stats,
    };
  }

  /** Refuses new items and resolves once everything queued has been written or has failed. */
  async close(): Promise<void> {
    this.closed = true;
    this.schedule();
    if (this.queue.length === 0 && this.writesInFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // One macrotask turn lets every request that arrived in the same I/O cycle join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain() {
    while (this.queue.length > 0 && this.writesInFlight < this.maxConcurrentWrites) {
      const now = Date.now();
      const batch: Pending<Item, Result>[] = [];
      while (this.queue.length > 0 && batch.length < this.maxBatchSize) {
        const next = this.queue.shift()!;
        if (next.deadline <= now) next.reject(new DeadlineExceededError());
        else batch.push(next);
      }
      if (batch.length > 0) void this.writeBatch(batch);
    }
    this.notifyIfIdle();
  }

  private async writeBatch(batch: Pending<Item, Result>[]) {
    this.writesInFlight++;
    this.inFlightItems += batch.length;
    try {
      const results = await this.write(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index]!));
      this.stats.batches++;
      this.stats.itemsWritten += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.writesInFlight--;
      this.inFlightItems -= batch.length;
      if (this.queue.length > 0) this.drain();
      else this.notifyIfIdle();
    }
  }

  private notifyIfIdle() {
    if (this.queue.length > 0 || this.writesInFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
