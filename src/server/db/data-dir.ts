/** The embedded database's folder when DATA_DIR is unset or empty (config.ts, and open-early.ts before it). */
export const DEFAULT_DATA_DIR = './data';
