/** Types of node-version.js (plain JavaScript: see there). */
export declare const MIN_NODE_MAJOR: number;
export declare function requireSupportedNode(): void;
