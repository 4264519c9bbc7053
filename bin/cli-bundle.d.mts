// Types for bin/cli-bundle.mjs (plain JavaScript, so the launcher needs no transpiler).
export declare const ROOT: string;
export declare const BUNDLE: string;
export declare function newestSource(root?: string, dirs?: readonly string[]): number;
export declare function isStale(bundle?: string, root?: string, dirs?: readonly string[]): boolean;
export declare function ensureBundle(): Promise<string>;
