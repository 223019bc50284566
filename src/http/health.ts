// GET /health: whether this process can reach its database and job queue. 200 when both answer,
// 503 otherwise, so a load balancer takes a broken instance out of rotation.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { pingDatabase } from '../db/connection.ts';
import type { AppContext } from './context.ts';

const Check = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('error')]), detail: Type.Optional(Type.String()) });

/**
 * How long a probe may take. A load balancer gives up on a slow health check anyway, and while the
 * database is away a connection attempt can take longer than that: answer 503 in time instead.
 */
const PROBE_TIMEOUT_MS = 3000;
/** When an unhealthy instance is worth asking again. */
const RETRY_AFTER_SECONDS = 5;

async function check(probe: () => Promise<unknown>): Promise<{ status: 'ok' | 'error'; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'error', detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance, { db, boss, connection }: AppContext) {
  app.get(
    '/health',
    {
      logLevel: 'warn',
      schema: {
        summary: 'Liveness and readiness of this process',
        tags: ['health'],
        response: {
          '2xx': Type.Object({ status: Type.String(), database: Type.Object({ ...Check.properties, kind: Type.String() }), queue: Check }),
          503: Type.Object({ status: Type.String(), database: Type.Object({ ...Check.properties, kind: Type.String() }), queue: Check }),
        },
      },
    },
    async (_request, reply) => {
      const [databaseCheck, queue] = await Promise.all([
        check(() => pingDatabase(db)),
        boss
          ? check(async () => {
              if (!(await boss.isInstalled())) throw new Error('the job queue schema is not installed');
            })
          : { status: 'error' as const, detail: 'no job queue in this process' },
      ]);
      const database = { ...databaseCheck, kind: connection.kind };
      const healthy = database.status === 'ok' && queue.status === 'ok';
      if (!healthy) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'error', database, queue });
    },
  );
}
