/**
 * `npm run bench:memory [-- options]`: idle memory of Propusk next to the bare node:http server,
 * and where Propusk's goes. See ../docs/performance-memory.md for what the figures mean.
 *
 * 1. Idle RSS: `--starts` times (default 3), interleaved, bare-http (`baselines/bare-http.mjs`) and
 *    Propusk, each started exactly as `npm run bench` starts it (lib/targets.ts: bundle,
 *    NODE_ENV=production, a fresh SQLite file, pinned to the server core when there are two), read
 *    from /proc/<pid>/status and /proc/<pid>/smaps_rollup when ready and again `--settle` seconds
 *    later (default 5), with nothing sent to the server in between. Medians are printed.
 * 2. The breakdown, on one more Propusk start with `lib/memory-probe.mjs` preloaded: resident pages
 *    by mapping (the node binary, split into code, ICU data and the rest; anonymous memory; shared
 *    libraries), process.memoryUsage(), V8's heap spaces and code statistics, and with `--snapshot`
 *    a heap snapshot summarised by constructor (self size) and by script (source, bytecode), its
 *    largest retainers (retained size) and the bundle files loaded. The snapshot (.heapsnapshot,
 *    open it in Chrome DevTools → Memory) is kept in `--out-dir` (default: a temporary directory).
 * 3. `--modules`: the cost of each main dependency alone: a fresh Node process that becomes bare-http
 *    and then imports just that dependency (lib/module-cost.mjs), minus one that imports nothing
 *    (same Node, same heap settings).
 *
 *   npm run bench:memory
 *   npm run bench:memory -- --starts 5 --settle 10 --snapshot --modules
 *   npm run bench:memory -- --env MALLOC_ARENA_MAX=2 --node-options "--v8-pool-size=1"
 */
import { parseArgs } from 'node:util';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanup, installSignalHandlers } from './lib/cleanup.ts';
import { pinningPlan, repoRoot, SERVER_CPU } from './lib/processes.ts';
import { startBareHttp, startPropusk, type RunningServer, type StartOptions } from './lib/targets.ts';
import { summariseSnapshot, type SnapshotSummary } from './lib/heap-snapshot.mjs';
import { SERVER_NODE_OPTIONS } from '../packages/server/scripts/node-options.js';

const USAGE = `usage: npm run bench:memory [-- options]

  --starts <n>     starts of each server for the idle figures (default 3)
  --settle <s>     seconds between "ready" and the second reading (default 5)
  --snapshot       also take a heap snapshot of Propusk and summarise it
  --modules        also measure the main dependencies one by one in fresh processes
  --out-dir <dir>  where the probe's readings and the snapshot go (default: a new temporary directory)
  --node-options "<opts>"  extra Node options for Propusk, e.g. "--v8-pool-size=1" (to try an operator's setting)
  --env <K=V,…>    extra environment for Propusk, e.g. MALLOC_ARENA_MAX=2
`;

const MiB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/** Fields of /proc/<pid>/status and smaps_rollup, in KiB. */
export interface ProcMemory {
  VmRSS: number;
  VmHWM: number;
  RssAnon: number;
  RssFile: number;
  Pss: number;
  Private_Dirty: number;
  Shared_Clean: number;
  Threads: number;
}

export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (text: string, name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    VmRSS: field(status, 'VmRSS'),
    VmHWM: field(status, 'VmHWM'),
    RssAnon: field(status, 'RssAnon'),
    RssFile: field(status, 'RssFile'),
    Threads: field(status, 'Threads'),
    Pss: field(rollup, 'Pss'),
    Private_Dirty: field(rollup, 'Private_Dirty'),
    Shared_Clean: field(rollup, 'Shared_Clean'),
  };
}

/** Resident KiB per mapping name (`[anon]` for anonymous memory), from /proc/<pid>/smaps. */
function residentByMapping(pid: number): Map<string, number> {
  const by = new Map<string, number>();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      name = header[1] || '[anon]';
      continue;
    }
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (rss) by.set(name, (by.get(name) ?? 0) + Number(rss[1]));
  }
  return by;
}

/** Address ranges of the node executable's code and read-only data, and of ICU's data blob inside it. */
interface BinaryLayout {
  text: [number, number];
  rodata: [number, number];
  icu?: [number, number];
}

function binaryLayout(file: string): BinaryLayout | undefined {
  try {
    const sections = execFileSync('readelf', ['-SW', file], { encoding: 'utf8' });
    const section = (name: string): [number, number] | undefined => {
      const m = new RegExp(`\\s${name.replace('.', '\\.')}\\s+PROGBITS\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+([0-9a-f]+)`).exec(sections);
      return m?.[1] && m[2] ? [parseInt(m[1], 16), parseInt(m[1], 16) + parseInt(m[2], 16)] : undefined;
    };
    const text = section('.text');
    const rodata = section('.rodata');
    if (!text || !rodata) return undefined;
    // ICU's common data is one symbol, icudt<version>_dat (full-icu builds embed it).
    const symbols = spawnSync('nm', ['-S', file], { encoding: 'utf8', maxBuffer: 256 * MiB });
    const icu = /^([0-9a-f]+) ([0-9a-f]+) [Rr] icudt\d+_dat$/m.exec(symbols.stdout ?? '');
    return { text, rodata, icu: icu?.[1] && icu[2] ? [parseInt(icu[1], 16), parseInt(icu[1], 16) + parseInt(icu[2], 16)] : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Resident KiB of the node executable's pages by part (code, ICU data, other read-only data, the
 * rest), from /proc/<pid>/pagemap (bit 63 of a page's entry: present; the frame numbers, which
 * need privileges, are not used). Undefined when pagemap, readelf or nm is missing.
 */
function nodeBinaryPages(pid: number): Record<string, number> | undefined {
  const exe = process.execPath;
  const layout = binaryLayout(exe);
  if (!layout) return undefined;
  const parts = { code: 0, 'ICU data': 0, 'other read-only data': 0, rest: 0 };
  try {
    const fd = openSync(`/proc/${pid}/pagemap`, 'r');
    try {
      for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
        const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s+(.*)$/.exec(line);
        if (!m?.[1] || !m[2] || m[3] !== exe) continue;
        const [start, end] = [parseInt(m[1], 16), parseInt(m[2], 16)];
        const pages = (end - start) / 4096;
        const pagemap = Buffer.alloc(pages * 8);
        readSync(fd, pagemap, 0, pages * 8, (start / 4096) * 8);
        for (let i = 0; i < pages; i++) {
          if ((pagemap.readBigUInt64LE(i * 8) & (1n << 63n)) === 0n) continue;
          const address = start + i * 4096;
          const inside = (r: [number, number] | undefined) => r !== undefined && address >= r[0] && address < r[1];
          if (inside(layout.text)) parts.code += 4;
          else if (inside(layout.icu)) parts['ICU data'] += 4;
          else if (inside(layout.rodata)) parts['other read-only data'] += 4;
          else parts.rest += 4;
        }
      }
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return parts;
}

interface Options {
  starts: number;
  settle: number;
  snapshot: boolean;
  modules: boolean;
  outDir: string | undefined;
  /** Extra Node options and environment for Propusk. */
  extra: { nodeOptions: string[]; env: Record<string, string> };
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      starts: { type: 'string', default: '3' },
      settle: { type: 'string', default: '5' },
      snapshot: { type: 'boolean', default: false },
      modules: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      'node-options': { type: 'string', default: '' },
      env: { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const starts = Number(values.starts);
  const settle = Number(values.settle);
  if (!Number.isInteger(starts) || starts < 1 || starts > 50) throw new Error('--starts must be an integer in 1..50');
  if (!Number.isFinite(settle) || settle < 0 || settle > 600) throw new Error('--settle must be a number of seconds in 0..600');
  const env: Record<string, string> = {};
  for (const pair of values.env.split(',').filter(Boolean)) {
    const [k, ...v] = pair.split('=');
    if (!k || v.length === 0) throw new Error(`--env: ${JSON.stringify(pair)} is not K=V`);
    env[k] = v.join('=');
  }
  const extra = { nodeOptions: values['node-options'].split(/\s+/).filter(Boolean), env };
  return { starts, settle, snapshot: values.snapshot, modules: values.modules, outDir: values['out-dir'] ? resolve(values['out-dir']) : undefined, extra };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (i: number) => s[i] ?? NaN;
  return s.length % 2 ? at((s.length - 1) / 2) : (at(s.length / 2 - 1) + at(s.length / 2)) / 2;
};

interface IdleReading {
  ready: ProcMemory;
  settled: ProcMemory;
  readyMs: number;
}

async function idleReading(start: () => Promise<RunningServer>, settle: number): Promise<IdleReading> {
  const r = await start();
  try {
    const ready = readProcMemory(r.server.pid);
    await sleep(settle * 1000);
    return { ready, settled: readProcMemory(r.server.pid), readyMs: r.server.readyMs };
  } finally {
    await r.stop();
  }
}

function baseStartOptions(cpu: number | undefined): StartOptions {
  return { cpu, tokens: 0, connections: 1, cpuProfDir: undefined, needs: new Set(), refreshTokens: 0, deviceCodes: 0, assertions: 0 };
}

async function idleFigures(options: Options, cpu: number | undefined): Promise<void> {
  const readings: Record<'bare-http' | 'propusk', IdleReading[]> = { 'bare-http': [], propusk: [] };
  for (let i = 1; i <= options.starts; i++) {
    readings['bare-http'].push(await idleReading(() => startBareHttp(baseStartOptions(cpu), {}), options.settle));
    readings.propusk.push(await idleReading(() => startPropusk('sqlite', '', { ...baseStartOptions(cpu), extra: options.extra }, {}), options.settle));
  }
  const kib = (x: number) => (x / 1024).toFixed(1);
  console.log(`\nidle memory, MiB (median of ${options.starts} starts each; at ready → ${options.settle} s later, nothing sent in between):`);
  console.log('server       VmRSS ready  VmRSS settled  RssAnon  RssFile  Pss  VmHWM  every start (VmRSS settled)');
  for (const [name, rs] of Object.entries(readings)) {
    const m = (f: keyof ProcMemory, at: 'ready' | 'settled' = 'settled') => kib(median(rs.map((r) => r[at][f])));
    console.log(
      `${name.padEnd(12)} ${m('VmRSS', 'ready').padStart(11)}  ${m('VmRSS').padStart(13)}  ${m('RssAnon').padStart(7)}  ${m('RssFile').padStart(7)}  ${m('Pss').padStart(4)}  ${m('VmHWM').padStart(5)}  ${rs.map((r) => kib(r.settled.VmRSS)).join(', ')}`,
    );
  }
  const gap = median(readings.propusk.map((r) => r.settled.VmRSS)) - median(readings['bare-http'].map((r) => r.settled.VmRSS));
  console.log(`Propusk − bare-http (settled VmRSS, medians): ${kib(gap)} MiB (goal: ≤ 25 MiB)`);
}

interface ProbeReading {
  memoryUsage: NodeJS.MemoryUsage;
  heap: { malloced_memory: number; peak_malloced_memory: number; external_memory: number; number_of_native_contexts: number };
  spaces: { space_name: string; space_size: number; space_used_size: number; physical_space_size: number }[];
  code: { code_and_metadata_size: number; bytecode_and_metadata_size: number; external_script_source_size: number };
}

async function breakdown(options: Options, cpu: number | undefined, dir: string): Promise<void> {
  const probe = join(import.meta.dirname, 'lib/memory-probe.mjs');
  const start: StartOptions = {
    ...baseStartOptions(cpu),
    extra: {
      nodeOptions: [...options.extra.nodeOptions, '--import', probe],
      env: { ...options.extra.env, BENCH_MEMORY_DIR: dir, BENCH_MEMORY_SNAPSHOT: options.snapshot ? '1' : '0' },
    },
  };
  const r = await startPropusk('sqlite', '', start, {});
  const pid = r.server.pid;
  let reading: ProbeReading;
  let snapshotFile: string | undefined;
  try {
    await sleep(options.settle * 1000);
    const proc = readProcMemory(pid);
    const mappings = residentByMapping(pid);
    const binary = nodeBinaryPages(pid);
    process.kill(pid, 'SIGUSR2');
    const file = join(dir, `memory-${pid}-1.json`);
    for (let waited = 0; !existsSync(file); waited += 100) {
      if (waited > 120_000) throw new Error(`the memory probe wrote no ${file}`);
      await sleep(100);
    }
    reading = JSON.parse(readFileSync(file, 'utf8')) as ProbeReading;
    if (options.snapshot) snapshotFile = join(dir, `memory-${pid}-1.heapsnapshot`);

    console.log(`\nPropusk (pid ${pid}, probe preloaded), ${options.settle} s after ready: VmRSS ${(proc.VmRSS / 1024).toFixed(1)} MiB = anonymous ${(proc.RssAnon / 1024).toFixed(1)} + file-backed ${(proc.RssFile / 1024).toFixed(1)}; ${proc.Threads} threads`);
    console.log('resident by mapping (MiB):');
    for (const [name, k] of [...mappings].sort((a, b) => b[1] - a[1]).filter(([, k]) => k >= 100)) console.log(`  ${(k / 1024).toFixed(1).padStart(6)}  ${name}`);
    if (binary) console.log(`  the node executable by part (MiB): ${Object.entries(binary).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`).join(', ')}`);
  } finally {
    await r.stop();
  }

  const u = reading.memoryUsage;
  console.log(`\nprocess.memoryUsage() (MiB): rss ${mib(u.rss)}, heapTotal ${mib(u.heapTotal)}, heapUsed ${mib(u.heapUsed)}, external ${mib(u.external)}, arrayBuffers ${mib(u.arrayBuffers)}`);
  console.log(`V8: malloced ${mib(reading.heap.malloced_memory)} (peak ${mib(reading.heap.peak_malloced_memory)}), external ${mib(reading.heap.external_memory)}, native contexts ${reading.heap.number_of_native_contexts}`);
  console.log('V8 heap spaces (MiB):        size   used  physical');
  for (const s of reading.spaces.filter((x) => x.space_size > 0)) {
    console.log(`  ${s.space_name.padEnd(26)} ${mib(s.space_size).padStart(5)}  ${mib(s.space_used_size).padStart(5)}  ${mib(s.physical_space_size).padStart(8)}`);
  }
  console.log(`V8 code statistics (MiB): code and metadata ${mib(reading.code.code_and_metadata_size)}, bytecode and metadata ${mib(reading.code.bytecode_and_metadata_size)}, external script source ${mib(reading.code.external_script_source_size)}`);

  if (snapshotFile) {
    const summary = summariseSnapshot(snapshotFile);
    printSnapshot(summary, snapshotFile);
  }
}

function printSnapshot(s: SnapshotSummary, file: string): void {
  console.log(`\nheap snapshot ${file} (${mib(statSync(file).size)} MiB file): ${s.nodes.toLocaleString('en')} objects, ${mib(s.totalSelf)} MiB live`);
  console.log('by kind (self size, MiB):');
  for (const t of s.byType.slice(0, 12)) console.log(`  ${mib(t.self).padStart(6)}  ${t.name} (${t.count.toLocaleString('en')})`);
  console.log('by constructor or name (self size, retained size, MiB):');
  for (const t of s.byConstructor.slice(0, 25)) console.log(`  ${mib(t.self).padStart(6)}  ${mib(t.retained).padStart(6)}  ${t.name} (${t.count.toLocaleString('en')})`);
  console.log('by script (source text + compiled code and function metadata attributed to it, MiB):');
  for (const t of s.byScript.slice(0, 25)) console.log(`  ${mib(t.source + t.code).padStart(6)}  ${t.name} (source ${mib(t.source)}, code ${mib(t.code)})`);
  console.log('inside the bundle, by package (source text of the loaded files + compiled functions, MiB):');
  for (const t of s.byPackage.slice(0, 25)) console.log(`  ${mib(t.source + t.code).padStart(6)}  ${t.name} (source ${mib(t.source)}, code ${mib(t.code)})`);
  console.log('largest retainers (retained size, MiB):');
  for (const t of s.topRetainers.slice(0, 20)) console.log(`  ${mib(t.retained).padStart(6)}  ${t.name}`);
}

/** The main dependencies, each imported alone into a fresh process (from packages/server, where they resolve). */
const MODULES = ['oidc-provider', 'koa', '@koa/router', 'kysely', 'pino', 'prom-client', 'zod', 'jose', 'node:sqlite', 'rate-limiter-flexible', 'nodemailer', 'qrcode', '@simplewebauthn/server', 'openid-client', 'ioredis', 'pg'];

/** One fresh process (lib/module-cost.mjs): bare-http's state, then `spec` imported, if any. */
function moduleCost(spec: string | undefined): { rssKb: number; heapUsed: number; anonKb: number } {
  const script = join(import.meta.dirname, 'lib/module-cost.mjs');
  const out = execFileSync(process.execPath, [...SERVER_NODE_OPTIONS, '--expose-gc', script, ...(spec ? [spec] : [])], { cwd: repoRoot, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { rssKb: number; heapUsed: number; anonKb: number };
}

function moduleFigures(): void {
  const runs = 3;
  const measure = (spec: string | undefined) => {
    const rs = Array.from({ length: runs }, () => moduleCost(spec));
    return { rssKb: median(rs.map((r) => r.rssKb)), anonKb: median(rs.map((r) => r.anonKb)), heapUsed: median(rs.map((r) => r.heapUsed)) };
  };
  const base = measure(undefined);
  console.log(`\neach dependency imported alone into a fresh Node process (median of ${runs}) on top of a bare node:http server started from an ES module file: VmRSS ${(base.rssKb / 1024).toFixed(1)} MiB, heap used ${mib(base.heapUsed)} MiB:`);
  console.log('module                   +VmRSS  +anon  +heap used  (MiB)');
  for (const spec of MODULES) {
    try {
      const m = measure(spec);
      console.log(`${spec.padEnd(24)} ${((m.rssKb - base.rssKb) / 1024).toFixed(1).padStart(6)}  ${((m.anonKb - base.anonKb) / 1024).toFixed(1).padStart(5)}  ${mib(m.heapUsed - base.heapUsed).padStart(10)}`);
    } catch (err) {
      console.log(`${spec.padEnd(24)} could not be imported: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}

/** Sizes of the bundle's files (dist/main.js and its chunks), biggest first. */
function bundleFigures(): void {
  const dist = join(repoRoot, 'packages/server/dist');
  if (!existsSync(dist)) return;
  const files = [join(dist, 'main.js'), ...readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => join(dist, 'chunks', f))];
  const sizes = files.map((f) => ({ f: f.slice(dist.length + 1), size: statSync(f).size })).sort((a, b) => b.size - a.size);
  const total = sizes.reduce((a, b) => a + b.size, 0);
  console.log(`\nbundle: ${files.length} JavaScript files, ${mib(total)} MiB; the largest: ${sizes.slice(0, 6).map((s) => `${s.f} ${mib(s.size)}`).join(', ')}`);
}

async function main(): Promise<number> {
  let options: Options | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench:memory: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  installSignalHandlers();
  const plan = pinningPlan();
  const cpu = plan.enabled ? SERVER_CPU : undefined;
  console.log(`servers ${cpu === undefined ? `unpinned (${plan.reason})` : `pinned to core ${cpu}`}; Node ${process.version} (${process.execPath})`);
  const dir = options.outDir ?? mkdtempSync(join(tmpdir(), 'propusk-memory-'));
  mkdirSync(dir, { recursive: true });
  try {
    await idleFigures(options, cpu);
    await breakdown(options, cpu, dir);
    bundleFigures();
    if (options.modules) moduleFigures();
    console.log(`\nprobe readings${options.snapshot ? ' and heap snapshot' : ''} in ${dir}`);
    return 0;
  } catch (err) {
    console.error(`\nbench:memory: FAILED: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await cleanup();
  }
}

process.exitCode = await main();
