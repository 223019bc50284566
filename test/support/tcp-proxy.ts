// A TCP proxy between a server under test and its PostgreSQL, which the test controls: it forwards
// bytes both ways until told to cut every connection and refuse new ones (the database is unreachable,
// as in a network partition or a failover), and then to accept again. The shared PostgreSQL server is
// never touched: only the path to it is.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Starts forwarding from a free port on 127.0.0.1 to the target. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.accept();
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** Connections forwarded right now. */
  get open(): number {
    return this.#sockets.size / 2;
  }

  /** Listens again (on the same port once it has one): new connections go through. */
  async accept(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#forward(client));
    for (let attempt = 1; ; attempt++) {
      server.listen(this.#port, '127.0.0.1');
      try {
        await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
        break;
      } catch (error) {
        // The port freed a moment ago can still be held briefly by the kernel.
        if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt === 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Cuts every forwarded connection at once (both ends see it reset), and keeps accepting new ones. */
  drop(): void {
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
  }

  /** Cuts every connection and stops listening: connecting is refused until accept(). */
  async refuse(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.drop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  #forward(client: Socket) {
    const upstream = createConnection(this.#target);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(from);
      from.pipe(to);
      // One side gone: the other goes too, as a broken network path would leave it.
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.#sockets.delete(from);
        to.destroy();
      });
    }
  }
}
