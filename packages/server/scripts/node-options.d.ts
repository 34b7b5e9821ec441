/** Types of node-options.js (plain JavaScript: see there). */
export declare const SERVER_NODE_OPTIONS: readonly string[];
export declare const SERVER_V8_FLAGS: readonly string[];
export declare function missingOptions(options: readonly string[], execArgv?: readonly string[], nodeOptions?: string): string[];
export declare function relaunchWithServerOptions(): void;
export declare function applyServerV8Flags(): void;
export declare function releaseStartupMemory(): void;
