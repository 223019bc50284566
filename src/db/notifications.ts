// LISTEN on a PostgreSQL channel, on either backend: PGlite delivers notifications in-process; on a
// server, a dedicated connection listens (the pool's connections come and go) and reconnects after a
// drop, telling the caller, since notifications sent meanwhile are lost.
import pg from 'pg';
import { CONNECT_TIMEOUT_MS, type Connection } from './connection.ts';

export interface Listener {
  close(): Promise<void>;
}

export async function listen(
  connection: Connection,
  channel: string,
  onNotification: (payload: string) => void,
  onGap: () => void,
): Promise<Listener> {
  if (connection.kind === 'pglite') {
    const unsubscribe = await connection.pglite.listen(channel, onNotification);
    return { close: () => unsubscribe() };
  }
  let closed = false;
  let client: pg.Client | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: connection.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotification(message.payload ?? '');
    });
    next.on('error', () => {
      // The 'end' handler reconnects.
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    // Only a connection that listened reconnects when it ends: one that failed above is retried by
    // reconnect(), so there is a single chain of attempts.
    next.on('end', () => {
      if (closed) return;
      onGap();
      void reconnect();
    });
    client = next;
  };
  /** Tries again until the database answers: it may be away for a while (restart, network). */
  const reconnect = async () => {
    for (let delay = 100; !closed; delay = Math.min(delay * 2, 2000)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (closed) return;
      try {
        await connect();
        if (closed) await client?.end().catch(() => {});
        // Notifications sent while reconnecting were lost too.
        else onGap();
        return;
      } catch {
        // not yet
      }
    }
  };
  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
