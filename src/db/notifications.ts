// LISTEN on a PostgreSQL channel, on either backend: PGlite delivers notifications in-process; on a
// server, a dedicated connection listens (the pool's connections come and go) and reconnects after a
// drop, telling the caller, since notifications sent meanwhile are lost.
import pg from 'pg';
import type { Connection } from './connection.ts';

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
    const next = new pg.Client({ connectionString: connection.url });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotification(message.payload ?? '');
    });
    next.on('error', () => {
      // The 'end' handler reconnects.
    });
    next.on('end', () => {
      if (closed) return;
      onGap();
      setTimeout(() => void connect().catch(() => setTimeout(connect, 1000)), 100);
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
  };
  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
