/** The origin of a URL, or null when it has none (`null`, `file:`, garbage). */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether a browser's Origin names this server itself: PUBLIC_URL's origin, or the host the request was
 * addressed to (its Host header, which a page cannot forge). The second makes every spelling the server
 * answers to work with no setting: `http://127.0.0.1:3000` and `http://localhost:3000` alike. A page of
 * another site that points its own name at us (DNS rebinding) gets no agent cookie: the browser keeps
 * cookies per name. Compared by host and port, so a TLS-terminating proxy's `https` Origin matches too.
 */
export function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string): boolean {
  const claimed = originOf(origin);
  if (!claimed) return false;
  if (claimed === originOf(publicUrl)) return true;
  return host !== undefined && host !== '' && new URL(claimed).host === host.toLowerCase();
}
