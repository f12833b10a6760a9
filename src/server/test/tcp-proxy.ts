import net from 'node:net';

/**
 * A TCP proxy in front of the PostgreSQL server that a test can cut and restore: a real way to make
 * the database unreachable for one app without stopping the server the other tests use.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  let frozen = false;

  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
        if (frozen) for (const s of [client, upstream]) s.pause();
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    /** Drops every connection and refuses new ones. */
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
    /**
     * Keeps every connection open but forwards nothing either way, like a route that silently drops
     * packets: the database neither answers nor says it is gone.
     */
    freeze() {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    /** Forwards again what froze. */
    thaw() {
      frozen = false;
      for (const s of sockets) s.resume();
    },
    /** Accepts connections again, on the same port. */
    restore: listen,
    close() {
      return this.cut();
    },
  };
}
