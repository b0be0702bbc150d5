/**
 * Group commit: work submitted under the same key while a transaction for that key
 * is running waits and then goes through together, in one transaction. Under load,
 * N items share one BEGIN/COMMIT (one WAL flush) and one acquisition of whatever
 * per-key lock the work takes, instead of queueing on it one by one.
 *
 * An idle key starts its batch after the current turn of the event loop
 * (setImmediate: well under a millisecond), so that requests read from the network
 * in the same turn go together. Without that, on PGlite, whose statements complete
 * without ever yielding to I/O, each request's transaction would run to commit
 * before the next request is even parsed: batches of one, a commit per push.
 *
 * If a batch fails, its items are retried one by one, so one bad item fails alone.
 */
export class GroupCommit<Item, Result> {
  readonly #run: (items: Item[]) => Promise<Result[]>;
  readonly #maxBatch: number;
  readonly #queues = new Map<string, Pending<Item, Result>[]>();

  constructor(run: (items: Item[]) => Promise<Result[]>, options: { maxBatch?: number } = {}) {
    this.#run = run;
    this.#maxBatch = options.maxBatch ?? 64;
  }

  submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.#queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.#queues.set(key, [{ item, resolve, reject }]);
      setImmediate(() => void this.#drain(key));
    });
  }

  async #drain(key: string): Promise<void> {
    const queue = this.#queues.get(key)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, this.#maxBatch);
      try {
        const results = await this.#run(batch.map((p) => p.item));
        for (const [i, p] of batch.entries()) p.resolve(results[i]!);
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else await this.#isolate(batch);
      }
    }
    this.#queues.delete(key);
  }

  async #isolate(batch: Pending<Item, Result>[]): Promise<void> {
    for (const p of batch) {
      try {
        const [result] = await this.#run([p.item]);
        p.resolve(result!);
      } catch (err) {
        p.reject(err);
      }
    }
  }
}

interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (reason: unknown) => void;
}
