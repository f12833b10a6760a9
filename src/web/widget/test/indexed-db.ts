import { vi } from 'vitest';

/**
 * Stubs a browser that has IndexedDB but refuses to open it (undo with `vi.unstubAllGlobals()`): what
 * Chromium does in an iframe of another site when the customer blocks third-party storage. Every
 * `indexedDB.open` request fails, asynchronously, with the error Chromium gives.
 */
export function denyIndexedDb() {
  class DeniedOpenRequest extends EventTarget {
    readonly error = new DOMException('The user denied permission to access the database.', 'UnknownError');
  }
  vi.stubGlobal('IDBRequest', DeniedOpenRequest);
  vi.stubGlobal('indexedDB', {
    open: () => {
      const request = new DeniedOpenRequest();
      setTimeout(() => request.dispatchEvent(new Event('error')));
      return request;
    },
  });
}
