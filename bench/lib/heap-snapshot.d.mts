/**
 * Types of heap-snapshot.mjs (plain JavaScript: typed-array indexing without `noUncheckedIndexedAccess` noise).
 * A V8 heap snapshot (.heapsnapshot, as v8.writeHeapSnapshot() writes it) summarised for
 * `npm run bench:memory`: self size by kind and by constructor, retained size (dominator tree)
 * by constructor and of the largest single retainers, and per script the source text and the
 * compiled functions (SharedFunctionInfo, bytecode and their metadata) that belong to it; inside
 * the bundle's files, per package, from the `// ../../node_modules/<package>/…` and `// src/…` lines
 * esbuild writes before each module (not minified).
 */

export interface Group {
  name: string;
  count: number;
  self: number;
  retained: number;
}

export interface ScriptGroup {
  name: string;
  /** Bytes of the script's source string (what the heap holds of it). */
  source: number;
  /** SharedFunctionInfos, bytecode, scope infos, feedback metadata of its compiled functions. */
  code: number;
}

export interface SnapshotSummary {
  nodes: number;
  totalSelf: number;
  byType: Group[];
  byConstructor: Group[];
  /** Per script file (the bundle's chunks, Node's own modules together). */
  byScript: ScriptGroup[];
  /** Per package inside the bundle: source bytes and compiled functions. */
  byPackage: ScriptGroup[];
  topRetainers: { name: string; retained: number }[];
}

/** Reads and summarises one snapshot file (a 20 MiB snapshot takes a few seconds). */
export function summariseSnapshot(file: string): SnapshotSummary;
