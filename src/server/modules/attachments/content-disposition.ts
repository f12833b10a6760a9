/**
 * `Content-Disposition` for a stored name (RFC 6266): an ASCII fallback in `filename` (quotes,
 * backslashes and anything outside printable ASCII replaced) and the exact name in `filename*` (RFC 8187).
 */
export function contentDisposition(name: string, inline: boolean): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
