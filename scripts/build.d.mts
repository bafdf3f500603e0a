/** Types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled). */
export declare const ROOT: string;
export declare const DIST: string;
export declare function isBuilt(): boolean;
export declare function build(): Promise<void>;
export declare function ensureBuilt(): Promise<string>;
