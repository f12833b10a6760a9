import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { DEFAULT_DATA_DIR } from './db/data-dir.ts';

describe('loadConfig', () => {
  it('uses the contract defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: './data', databaseUrl: undefined, publicUrl: 'http://localhost:3000', emailRetryBaseSeconds: 3600 });
    expect(c.allowedOrigins).toEqual(['http://localhost:3000']);
  });

  // main.ts starts the database's thread from DATA_DIR before loadConfig runs (db/open-early.ts:
  // `env.DATA_DIR || DEFAULT_DATA_DIR`); the two must name the same folder, unset or empty.
  it('reads DATA_DIR as the early start does: unset or empty is DEFAULT_DATA_DIR', () => {
    expect(loadConfig({}).dataDir).toBe(DEFAULT_DATA_DIR);
    expect(loadConfig({ DATA_DIR: '' }).dataDir).toBe(DEFAULT_DATA_DIR);
    expect(loadConfig({ DATA_DIR: '/srv/tf' }).dataDir).toBe('/srv/tf');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
  });

  it('fails with a readable list of every bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'not a url' })).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
  });

  it('splits ALLOWED_ORIGINS and reads a trusted proxy list', () => {
    const c = loadConfig({ ALLOWED_ORIGINS: 'https://a.example/, https://b.example', TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });
});
