// The session state machine, every cell of it: for each role, each state a session may be in and
// each state someone asks for with PATCH /v1/sessions/{id}, the answer OES gives and what becomes of
// the session. The expected table is written out here from OES (app/api/sessions.py,
// SESSION_STATE_DICT: the organizers' side and the speakers' side; asking for the state a session is
// already in is no change and is never refused). A refused change leaves the state as it was; a
// permitted one moves the state and the session's SEQUENCE, so calendar clients pick it up.
import { describe, expect, it, beforeAll } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions } from '../../src/db/schema/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { body, createPublishedEvent, grantRole, quickUser, rel, type Resource, type Role, type User } from '../support/schedule.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

const STATES = ['draft', 'pending', 'accepted', 'confirmed', 'rejected', 'canceled', 'withdrawn'] as const;
type State = (typeof STATES)[number];

/** OES's organizers' side: from each state, the states they may move a session to. A draft is the speaker's. */
const ORGANIZER_MAY: Record<State, State[]> = {
  draft: [],
  pending: ['withdrawn', 'accepted', 'rejected', 'confirmed'],
  accepted: ['pending', 'withdrawn', 'rejected', 'confirmed', 'canceled'],
  confirmed: ['pending', 'withdrawn', 'accepted', 'rejected', 'canceled'],
  rejected: ['pending', 'withdrawn', 'accepted', 'confirmed'],
  canceled: ['pending', 'withdrawn', 'accepted', 'rejected', 'confirmed'],
  withdrawn: ['pending', 'accepted', 'rejected', 'canceled'],
};

/** OES's speakers' side (a session's own speakers): submit a draft, withdraw anything but a draft; withdrawn is final. */
const SPEAKER_MAY: Record<State, State[]> = {
  draft: ['pending'],
  pending: ['withdrawn'],
  accepted: ['withdrawn'],
  confirmed: ['withdrawn'],
  rejected: ['withdrawn'],
  canceled: ['withdrawn'],
  withdrawn: [],
};

/** What the public may see of a session: only these states exist for someone outside it. */
const PUBLISHED: readonly State[] = ['accepted', 'confirmed'];

type Asker = 'owner' | 'organizer' | 'coorganizer' | 'track organizer' | 'own speaker' | 'other user' | 'anonymous';

/**
 * The status OES's rules give. Managers are on the organizers' side; so are coorganizers (OES lets
 * them patch the session but checks their state change against the speakers' side, as it names only
 * owners and organizers "organizer") and track organizers, as openevent's issue 17 lets them review
 * (OES lets them not patch sessions at all). Anyone else
 * signed in is refused the session, and an unpublished one does not exist for them; nobody signed in
 * gets 401.
 */
function expectedStatus(asker: Asker, from: State, to: State): number {
  switch (asker) {
    case 'anonymous':
      return 401;
    case 'other user':
      return PUBLISHED.includes(from) ? 403 : 404;
    case 'own speaker':
      return from === to || SPEAKER_MAY[from].includes(to) ? 200 : 403;
    default:
      return from === to || ORGANIZER_MAY[from].includes(to) ? 200 : 403;
  }
}

const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

interface Fixture {
  session: Resource;
  tokens: Record<Asker, string>;
}

/** A published event with an open call, its team, and a proposal its speaker sent through the call. */
async function fixture(): Promise<Fixture> {
  const owner = await quickUser(t);
  const ev = await createPublishedEvent(t, owner.token, { 'starts-at': at(30), 'ends-at': at(31), 'is-sessions-speakers-enabled': true, 'is-cfs-enabled': true });
  const call = await t.request({
    method: 'POST',
    url: '/v1/speakers-calls',
    token: owner.token,
    json: body('speakers-call', { 'starts-at': at(-1), 'ends-at': at(10), privacy: 'public' }, { event: rel('event', ev.id) }),
  });
  expect(call.status, call.text).toBe(201);
  const member = async (role: Role): Promise<User> => {
    const user = await quickUser(t);
    await grantRole(t, owner.token, ev, user.id, role);
    return user;
  };
  const organizer = await member('organizer');
  const coorganizer = await member('coorganizer');
  const trackOrganizer = await member('track_organizer');
  const speaker = await quickUser(t);
  const profile = await t.request({ method: 'POST', url: '/v1/speakers', token: speaker.token, json: body('speaker', { name: 'Ada' }, { event: rel('event', ev.id) }) });
  expect(profile.status, profile.text).toBe(201);
  const session = await t.request({
    method: 'POST',
    url: '/v1/sessions',
    token: speaker.token,
    json: body('session', { title: 'State machine talk' }, { event: rel('event', ev.id), speakers: rel('speaker', [profile.body.data.id]) }),
  });
  expect(session.status, session.text).toBe(201);
  const other = await quickUser(t);
  return {
    session: session.body.data,
    tokens: {
      owner: owner.token,
      organizer: organizer.token,
      coorganizer: coorganizer.token,
      'track organizer': trackOrganizer.token,
      'own speaker': speaker.token,
      'other user': other.token,
      anonymous: '',
    },
  };
}

async function stored(id: number): Promise<{ state: string; sequence: number }> {
  const [row] = await t.database.connection.db.select({ state: sessions.state, sequence: sessions.sequence }).from(sessions).where(eq(sessions.id, id));
  return row!;
}

const ASKERS: Asker[] = ['owner', 'organizer', 'coorganizer', 'track organizer', 'own speaker', 'other user', 'anonymous'];

describe('PATCH /v1/sessions/{id} with a new state', () => {
  it('the expected table is OES\'s: organizers never move a draft, speakers only submit or withdraw', () => {
    // A few cells spelled out, so a slip in the tables above shows here.
    expect(expectedStatus('owner', 'draft', 'accepted')).toBe(403);
    expect(expectedStatus('owner', 'pending', 'accepted')).toBe(200);
    expect(expectedStatus('owner', 'withdrawn', 'confirmed')).toBe(403);
    expect(expectedStatus('own speaker', 'draft', 'pending')).toBe(200);
    expect(expectedStatus('own speaker', 'draft', 'withdrawn')).toBe(403);
    expect(expectedStatus('own speaker', 'withdrawn', 'pending')).toBe(403);
    expect(STATES.flatMap((from) => STATES.map((to) => expectedStatus('own speaker', from, to))).filter((s) => s === 200)).toHaveLength(7 + 6);
  });

  for (const asker of ASKERS) {
    it(`as ${asker}: every from-state × to-state`, async () => {
      const { session, tokens } = await fixture();
      const id = Number(session.id);
      const db = t.database.connection.db;
      const mismatches: string[] = [];
      for (const from of STATES) {
        for (const to of STATES) {
          await db.update(sessions).set({ state: from, isLocked: false }).where(eq(sessions.id, id));
          const before = await stored(id);
          const response = await t.request({
            method: 'PATCH',
            url: `/v1/sessions/${id}`,
            token: tokens[asker] || undefined,
            json: { data: { type: 'session', id: String(id), attributes: { state: to } } },
          });
          const after = await stored(id);
          const cell = `${from} → ${to}`;
          const want = expectedStatus(asker, from, to);
          if (response.status !== want) {
            mismatches.push(`${cell}: ${response.status} (expected ${want}) ${response.text.slice(0, 200)}`);
            continue;
          }
          if (want === 200) {
            expect(response.body.data.attributes.state, cell).toBe(to);
            expect(after.state, cell).toBe(to);
            // A change is a new version of the session for calendar clients.
            if (from !== to) expect(after.sequence, cell).toBe(before.sequence + 1);
          } else {
            expect(response.body.errors, cell).toHaveLength(1);
            expect(after, cell).toEqual(before);
            if (want === 403 && asker !== 'other user') {
              expect(response.body.errors[0], cell).toMatchObject({
                detail: `You cannot change a session state from "${from}" to "${to}"`,
                source: { pointer: '/data/attributes/state' },
              });
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
