/**
 * Preloaded into a server under test by `npm run bench:memory` (`node --import …/memory-probe.mjs`).
 * Plain JavaScript: Propusk runs from its bundle without tsx, and a TypeScript preload would load
 * Node's type stripper into the process being measured.
 *
 * On SIGUSR2 it writes `$BENCH_MEMORY_DIR/memory-<pid>-<n>.json` (n = 1, 2, …): process.memoryUsage(),
 * v8.getHeapStatistics(), v8.getHeapSpaceStatistics() and v8.getHeapCodeStatistics(); with
 * BENCH_MEMORY_SNAPSHOT=1 also a heap snapshot `memory-<pid>-<n>.heapsnapshot` next to it, written
 * before the JSON (the JSON appearing under its final name means both are complete). Nothing runs
 * until the signal: the probe itself is a few kilobytes of the process it measures.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

const dir = process.env.BENCH_MEMORY_DIR;
if (dir) {
  let written = 0;
  process.on('SIGUSR2', () => {
    try {
      const n = ++written;
      const base = join(dir, `memory-${process.pid}-${n}`);
      const reading = {
        memoryUsage: process.memoryUsage(),
        heap: v8.getHeapStatistics(),
        spaces: v8.getHeapSpaceStatistics(),
        code: v8.getHeapCodeStatistics(),
      };
      if (process.env.BENCH_MEMORY_SNAPSHOT === '1') v8.writeHeapSnapshot(`${base}.heapsnapshot`);
      writeFileSync(`${base}.json.part`, JSON.stringify(reading));
      renameSync(`${base}.json.part`, `${base}.json`);
    } catch (err) {
      process.stderr.write(`memory-probe: ${err?.message ?? err}\n`);
    }
  });
}
