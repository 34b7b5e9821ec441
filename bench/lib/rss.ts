/**
 * Memory of a server under test, read from /proc/<pid>/status: VmRSS (resident now) sampled while
 * a scenario runs, and VmHWM (the kernel's peak resident size since the process started).
 */
import { readFileSync } from 'node:fs';

export interface MemoryReading {
  rssMb: number;
  hwmMb: number;
}

const SAMPLE_INTERVAL_MS = 100;

/** Current and peak resident size in MiB; undefined when the process is gone or /proc is missing. */
export function readMemory(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

export interface RssSampler {
  /** Stops sampling; returns the highest VmRSS seen while sampling (MiB), or undefined if none could be read. */
  stop(): number | undefined;
}

/** Samples VmRSS every 100 ms until stop(). */
export function sampleRss(pid: number): RssSampler {
  let peak: number | undefined;
  const sample = () => {
    const m = readMemory(pid);
    if (m && Number.isFinite(m.rssMb)) peak = Math.max(peak ?? 0, m.rssMb);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
