/** Types of bundle.js (plain JavaScript: see there). */
export declare const serverDir: string;
export declare const distDir: string;
export declare const STAMP_FILE: string;
export interface Stamp {
  sources: string;
  esbuild: string;
  builtAt: string;
}
export declare function sourceHash(): string;
export declare function readStamp(): Stamp | undefined;
export declare function freshBundle(entry: 'main' | 'cli', hash?: string): string | undefined;
