// The fallback when there is no live stream: a handful of independent refresh loops, each deciding its
// own next delay after it runs (the queue polls faster while something is downloading). A loop waits
// for its previous run to finish before scheduling the next, so a slow server is never asked twice.

export class Poller {
  /**
   * @param {Array<{name: string, run: () => Promise<number>, errorDelayMs: number, startDelayMs?: number}>} tasks
   *        `run` resolves with the delay before its next run; on failure `errorDelayMs` is used
   */
  constructor(tasks) {
    this.tasks = new Map(tasks.map((task) => [task.name, { ...task, timer: 0, running: false }]));
    this.active = false;
  }

  start() {
    this.stop();
    this.active = true;
    for (const task of this.tasks.values()) {
      this.schedule(task, task.startDelayMs ?? 0);
    }
  }

  stop() {
    this.active = false;
    for (const task of this.tasks.values()) {
      clearTimeout(task.timer);
      task.timer = 0;
    }
  }

  /** Runs one loop now (after the user changed something) and lets it pick its new pace. */
  runNow(name) {
    const task = this.tasks.get(name);
    if (this.active && task && !task.running) {
      this.schedule(task, 0);
    }
  }

  schedule(task, delayMs) {
    clearTimeout(task.timer);
    task.timer = setTimeout(() => this.runTask(task), delayMs);
  }

  async runTask(task) {
    task.running = true;
    let next = task.errorDelayMs;
    try {
      next = await task.run();
    } catch {
      // The view that ran the task shows the problem; the loop only keeps going.
    } finally {
      task.running = false;
    }
    if (this.active) {
      this.schedule(task, next);
    }
  }
}
