// The public pages' API under load: `node bench/public-api.ts` (prints figures, then records them in
// BENCHMARKS.md under "Public pages' API"). Target (issue 15, item 5): the session list OES's web client and
// mobile apps call most, `GET /v1/events/{id}/sessions?include=speakers,track,microlocation&page[size]=100`,
// anonymous, on a published 1,000-session event, at ≥ 1,000 req/s on PostgreSQL with 50 connections.
//
// On PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test), in a scratch database of its own;
// `openevent serve --no-worker` in a process of its own, the load generator (autocannon) in another. Beside
// the list: the same event read back one page of 100 sessions with no includes, the list read by a signed-in
// visitor (answered fresh each time: what every request cost before anonymous lists were kept rendered), and a
// bare Fastify route sending a constant body of the list's size (the floor of serving those bytes here).
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { createUser } from '../src/domain/users.ts';
import { createEvent } from '../src/domain/events.ts';
import { EVENT_TIMEZONE, freePort, inScratchDatabase, launch, seed, serverEnv, sleep, waitFor } from './export-harness.ts';
import { loadFromAnotherProcess, type LoadResult } from './load.ts';
import { loadAverage, machineLine, recordSection } from './record.ts';

const SESSIONS = 1000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_RPS = 1000;

type Row = { label: string; result: LoadResult };
const rows: Row[] = [];
let loadBefore = 0;
let postgresVersion = 'unknown';
let listBytes = 0;

await inScratchDatabase(async (db, version) => {
  postgresVersion = version;
  const credentials = { email: `public-api-${Date.now()}@example.org`, password: 'bench password 1' };
  const user = await createUser(db, credentials);
  const event = await createEvent(db, user, {
    name: 'Public pages bench',
    startsAt: new Date('2025-03-10T06:00:00Z'),
    endsAt: new Date('2025-03-14T20:00:00Z'),
    timezone: EVENT_TIMEZONE,
    state: 'published',
    schedulePublishedOn: new Date(),
  });
  await seed(db, event.id, SESSIONS);
  // Statistics, as autovacuum gathers within a minute of a bulk insert: without them PostgreSQL plans the
  // speakers' linkage (a join with a visibility EXISTS) as scans, 8 ms instead of 0.1 ms for one session.
  await db.execute(sql`ANALYZE`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  launch(['serve', '--no-worker'], serverEnv(port, randomBytes(32).toString('base64url')));
  await waitFor(`${base}/health`);

  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const list = `${base}/v1/events/${event.id}/sessions?include=speakers,track,microlocation&page[size]=100`;
  const plain = `${base}/v1/events/${event.id}/sessions?page[size]=100`;
  const answer = await fetch(list);
  if (answer.status !== 200) throw new Error(`the session list answered ${answer.status}: ${await answer.text()}`);
  const body = Buffer.from(await answer.arrayBuffer());
  listBytes = body.length;
  const document = JSON.parse(body.toString()) as { data: unknown[]; included?: unknown[] };
  console.log(`list: ${document.data.length} sessions, ${document.included?.length ?? 0} included records, ${body.length} bytes`);

  const bare = Fastify();
  bare.get('/body', async (_request, reply) => reply.type('application/vnd.api+json').send(body));
  const barePort = await freePort();
  await bare.listen({ port: barePort, host: '127.0.0.1' });

  await sleep(500);
  // Warm-up, not counted: connections, JIT, PostgreSQL's plan cache.
  await loadFromAnotherProcess(list, { connections: CONNECTIONS, seconds: 2 });
  loadBefore = loadAverage();
  const signedIn = { authorization: `JWT ${token}` };
  for (const [label, url, headers] of [
    [`bare Fastify route sending the list's ${Math.round(body.length / 1024)} KB as a constant`, `http://127.0.0.1:${barePort}/body`, {}],
    ['100 sessions, no includes, signed in (rendered for each request)', plain, signedIn],
    ['100 sessions with speakers, track, microlocation, signed in (rendered for each request)', list, signedIn],
    ['100 sessions, no includes', plain, {}],
    ['100 sessions with speakers, track, microlocation', list, {}],
  ] as const) {
    const result = await loadFromAnotherProcess(url, { connections: CONNECTIONS, seconds: SECONDS, headers });
    if (result.non2xx || result.errors) throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    console.log(`${label}: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    rows.push({ label, result });
  }
  await bare.close();
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const listRow = rows.at(-1)!.result;
recordSection(
  "## Public pages' API",
  [
    "## Public pages' API",
    '',
    `${machineLine()}, PostgreSQL ${postgresVersion}; 1-minute load average ${loadBefore.toFixed(1)} before, ${loadAverage().toFixed(1)} after.`,
    `Command: \`node bench/public-api.ts\` (${new Date().toISOString().slice(0, 10)}). A published event of ${fmt(SESSIONS)} synthetic sessions`,
    `(tracks, rooms, types, speakers); \`openevent serve --no-worker\` in its own process; autocannon in another, ${CONNECTIONS}`,
    `connections, ${SECONDS} s per row, anonymous unless said. The list is ${fmt(listBytes)} bytes uncompressed (autocannon asks for no compression).`,
    'Anonymous lists are kept rendered per schedule version and request (at most 10 s); a signed-in reader\'s list is',
    'rendered for each request (the team sees drafts and contact details), which is what every request cost before.',
    '',
    '| request | req/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(({ label, result }) => `| ${label} | ${fmt(result.rps)} | ${result.p50} | ${result.p99} |`),
    '',
    `Target: ≥ ${fmt(TARGET_RPS)} req/s for the list with includes: **${listRow.rps >= TARGET_RPS ? 'met' : 'not met'}** (${fmt(listRow.rps)} req/s).`,
    '',
  ].join('\n'),
);
