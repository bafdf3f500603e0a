/** Types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled). */
export declare const ROOT: string;
export declare const DIST: string;
export declare function build(): void;
