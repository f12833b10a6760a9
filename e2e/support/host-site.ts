import { createServer } from 'node:http';

export type HostSite = {
  /** `http://localhost:<port>`: another site than the widget's server at 127.0.0.1. */
  origin: string;
  close: () => Promise<void>;
};

/**
 * A restaurant's site for embedding journeys: a tiny static HTTP server on loopback whose `/shop` page
 * includes the embed snippet of `widgetOrigin()` (read per request: the server may start after the site). Reached as `localhost`, so the page and the widget are
 * two different sites, as on the internet. The icon is inline so the page logs no 404 to the console.
 */
export async function startHostSite(widgetOrigin: () => string): Promise<HostSite> {
  const html = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>
<body><main><h1>Shop</h1></main><script src="${widgetOrigin()}/widget.js" async></script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/shop') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html());
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
