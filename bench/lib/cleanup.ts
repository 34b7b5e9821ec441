/**
 * Teardown registry: every child process, temporary directory and database schema the bench
 * creates registers a step here. The steps run once, newest first, whether the run ends normally,
 * with an error, on Ctrl-C or on SIGTERM; a synchronous fallback kills what is left on `exit`.
 */

export interface CleanupStep {
  name: string;
  /** Orderly teardown (stop a server, drop a schema). Bounded by CLEANUP_STEP_TIMEOUT_MS. */
  run(): Promise<void> | void;
  /** Last resort on process exit (synchronous only: SIGKILL, rmSync). */
  sync?(): void;
}

const CLEANUP_STEP_TIMEOUT_MS = 8_000;
const steps: CleanupStep[] = [];
let running: Promise<void> | undefined;

/** Registers a step; returns a function that unregisters it (after the caller tore it down itself). */
export function onCleanup(step: CleanupStep): () => void {
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) steps.splice(i, 1);
  };
}

/** Runs every registered step, newest first; errors are printed, never thrown. Idempotent. */
export function cleanup(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()!;
      try {
        await Promise.race([
          Promise.resolve(step.run()),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${CLEANUP_STEP_TIMEOUT_MS} ms`)), CLEANUP_STEP_TIMEOUT_MS).unref()),
        ]);
      } catch (err) {
        console.error(`bench: cleanup of ${step.name} failed: ${(err as Error).message}`);
        step.sync?.();
      }
    }
  })();
  return running;
}

/** Ctrl-C / SIGTERM: tear down, then exit with the conventional code. A second signal exits at once. */
export function installSignalHandlers(): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const code = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
      if (stopping) process.exit(code);
      stopping = true;
      console.error(`\nbench: ${signal}, stopping child processes and removing temporary files…`);
      void cleanup().finally(() => process.exit(code));
    });
  }
  process.on('exit', () => {
    for (const step of steps) {
      try {
        step.sync?.();
      } catch {
        // best effort: the process is exiting
      }
    }
  });
}
