// Types of scripts/commonjs-interop.mjs (a build script run by plain Node) for its test.
export declare const INTEROP_BANNER: string;
export declare function lightenInteropHelpers(code: string): { code: string; replaced: number };
