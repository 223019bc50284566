// GET /health: whether this process can reach its database and job queue. 200 when both answer,
// 503 otherwise, so a load balancer takes a broken instance out of rotation.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sql } from 'drizzle-orm';
import type { AppContext } from './context.ts';

const Check = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('error')]), detail: Type.Optional(Type.String()) });

async function check(probe: () => Promise<unknown>): Promise<{ status: 'ok' | 'error'; detail?: string }> {
  try {
    await probe();
    return { status: 'ok' };
  } catch (error) {
    return { status: 'error', detail: (error as Error).message };
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
      const database = { ...(await check(() => db.execute(sql`SELECT 1`))), kind: connection.kind };
      const queue = boss
        ? await check(async () => {
            if (!(await boss.isInstalled())) throw new Error('the job queue schema is not installed');
          })
        : { status: 'error' as const, detail: 'no job queue in this process' };
      const healthy = database.status === 'ok' && queue.status === 'ok';
      return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'error', database, queue });
    },
  );
}
