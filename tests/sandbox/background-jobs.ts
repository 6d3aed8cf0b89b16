// Work a fake does after it has answered, such as Infisical's secret-sync queue (docs/contracts.md
// A.9): jobs with the same key run one after another, as one sync's jobs do on Infisical's queue;
// `settled()` lets a test wait until none is queued or running (`sb.syncsSettled()`,
// `POST /__sandbox/syncs-settled`).
export class BackgroundJobs {
  private readonly running = new Set<Promise<void>>();
  private readonly lastByKey = new Map<string, Promise<void>>();

  /** Queues `job` behind the previous job of `key`; it starts on a later turn of the event loop, after the request that queued it has been answered. */
  run(key: string, job: () => Promise<void>): void {
    const previous = this.lastByKey.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(job)
      .catch(() => {
        /* a job records its own failure; nothing may escape as an unhandled rejection */
      });
    this.lastByKey.set(key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.lastByKey.get(key) === next) this.lastByKey.delete(key);
    });
  }

  /** Resolves once every queued job has finished, including jobs queued meanwhile. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
