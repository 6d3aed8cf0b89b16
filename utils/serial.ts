/**
 * Runs tasks one after another, in the order they were queued; a failing task does not stop the
 * ones behind it. For what two flows running side by side must not do at once: MSAL has one
 * interaction per document, the consent tab one redirect rule, and shared storage arrays are
 * read-modified-written.
 */
export function createSerial() {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  function run<T>(task: () => Promise<T>): Promise<T> {
    queued++;
    const result = tail.then(task).finally(() => {
      queued--;
    });
    tail = result.catch(() => undefined);
    return result;
  }
  /** Whether a task is running or waiting. */
  const busy = () => queued > 0;
  return Object.assign(run, { busy });
}
