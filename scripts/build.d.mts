/** Types of scripts/build.mjs (plain JavaScript so that `npm start` loads no TypeScript loader). */
export declare const SERVER_BUNDLE: string;
export declare function hashInputs(inputs: string[]): string;
export declare function staleTargets(): Array<'web' | 'server'>;
export declare function buildIfStale(options?: { force?: boolean; log?: (line: string) => void }): Promise<string[]>;
