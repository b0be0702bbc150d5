/**
 * The simulator's one clock of things to come: buyer arrivals, buyers losing
 * patience, parcels moving. Every timed action goes through here, in time
 * order (ties in the order they were scheduled), so a seed replays the same
 * story. While an action runs, `now()` is the time it was due rather than the
 * wall clock, which keeps timestamps independent of timer jitter.
 *
 * Started, it drives itself with one timer; tests leave it stopped, move an
 * injected clock and call `runDue()`.
 */

export interface ScheduledTask {
  readonly at: number;
  cancelled: boolean;
}

export interface Scheduler {
  /** The running action's due time, else the injected clock. */
  now(): Date;
  /** Run `action` at `at` (epoch ms); in the past means at the next run. */
  at(at: number, action: () => void): ScheduledTask;
  cancel(task: ScheduledTask | undefined): void;
  /**
   * Run every action due up to the injected clock's now (or `until`). Returns
   * how many ran. With `budgetMs`, stops after about that much work even if
   * more is due (the driver's way of leaving the pushes their turn).
   */
  runDue(until?: number, budgetMs?: number): number;
  /** How far behind the driver is: ms since the oldest action still waiting fell due (0 if none). */
  lagMs(): number;
  /** Drive itself with a timer (real time). */
  start(): void;
  stop(): void;
  size(): number;
}

interface Entry extends ScheduledTask {
  seq: number;
  action: () => void;
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap: arrivals at thousands per second must not cost a sort each. */
class Heap {
  private readonly items: Entry[] = [];
  get length() {
    return this.items.length;
  }
  peek(): Entry | undefined {
    return this.items[0];
  }
  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as Entry, items[parent] as Entry)) break;
      [items[i], items[parent]] = [items[parent] as Entry, items[i] as Entry];
      i = parent;
    }
  }
  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l] as Entry, items[m] as Entry)) m = l;
        if (r < items.length && before(items[r] as Entry, items[m] as Entry)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m] as Entry, items[i] as Entry];
        i = m;
      }
    }
    return top;
  }
}

/** The longest the driver sleeps before looking again (the injected clock may jump). */
const maxSleepMs = 1000;
/** Work per driver turn before yielding to I/O, so an overloaded simulator slows down rather than stops pushing. */
const turnBudgetMs = 25;

export function createScheduler(clock: () => Date): Scheduler {
  const heap = new Heap();
  let seq = 0;
  let running: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  function arm(): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    const next = heap.peek();
    const delay = next ? Math.min(maxSleepMs, Math.max(0, next.at - clock().getTime())) : maxSleepMs;
    timer = setTimeout(() => {
      timer = undefined;
      scheduler.runDue(undefined, turnBudgetMs);
      arm();
    }, delay);
    timer.unref();
  }

  const scheduler: Scheduler = {
    now: () => (running === undefined ? clock() : new Date(running)),
    at(at, action) {
      const entry: Entry = { at, seq: ++seq, action, cancelled: false };
      const head = heap.peek();
      heap.push(entry);
      // Only an action earlier than the current head needs the timer moved.
      if (started && running === undefined && (!head || before(entry, head))) arm();
      return entry;
    },
    cancel(task) {
      if (task) task.cancelled = true;
    },
    runDue(until, budgetMs) {
      const limit = until ?? clock().getTime();
      const deadline = budgetMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + budgetMs;
      let ran = 0;
      for (let next = heap.peek(); next && next.at <= limit; next = heap.peek()) {
        if ((ran & 63) === 63 && performance.now() > deadline) break;
        heap.pop();
        if (next.cancelled) continue;
        running = next.at;
        try {
          next.action();
        } finally {
          running = undefined;
        }
        ran++;
      }
      return ran;
    },
    start() {
      started = true;
      arm();
    },
    stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    size: () => heap.length,
    lagMs() {
      const next = heap.peek();
      return next ? Math.max(0, clock().getTime() - next.at) : 0;
    },
  };
  return scheduler;
}
