/**
 * Preloaded into the servers under test when the bench runs with `--cpu-prof <dir>`
 * (`node --import …/row-profiler.mjs`). Plain JavaScript: Propusk runs from its bundle without tsx.
 *
 * SIGUSR2 starts V8's sampling profiler in this process; the next SIGUSR2 stops it and writes the
 * profile to `$BENCH_ROW_PROFILE_DIR/row-<pid>-<n>.cpuprofile` (n = 1, 2, … per stop), which the
 * bench renames after its row (lib/row-profile.ts). So a profile holds one measured row only, not
 * the start, the seeding or the other rows, as `--cpu-prof` of the whole process would.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_ROW_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  let turn = Promise.resolve();
  const toggle = async () => {
    if (!running) {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      running = true;
      return;
    }
    const { profile } = await session.post('Profiler.stop');
    running = false;
    const file = join(dir, `row-${process.pid}-${++written}.cpuprofile`);
    // Written under another name first: the bench waits for the final name to appear complete.
    writeFileSync(`${file}.part`, JSON.stringify(profile));
    renameSync(`${file}.part`, file);
  };
  process.on('SIGUSR2', () => {
    turn = turn.then(toggle).catch((err) => process.stderr.write(`row-profiler: ${err?.message ?? err}\n`));
  });
}
