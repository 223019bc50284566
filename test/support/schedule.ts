// Builders for the schedule tests (issue 3): events, roles, tracks, rooms, session types, speakers and
// sessions, created over HTTP as a client would. Each builder throws with the server's answer when the
// request does not succeed, so a broken fixture fails loudly in beforeAll instead of as a confusing
// assertion later.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { signUp, type TestApp, type TestResponse } from './app.ts';
import { ensureAdmin } from '../../src/domain/users.ts';
import { and, eq, isNull } from 'drizzle-orm';
import { eventRoles, users } from '../../src/db/schema/index.ts';
import { tokenService } from '../../src/auth/tokens.ts';

export type User = Awaited<ReturnType<typeof signUp>>;

/** A resource object as the server answers it. */
export interface Resource {
  type: string;
  id: string;
  attributes: Record<string, any>;
  relationships?: Record<string, { data: any }>;
}

/** Anything that names an event: its resource, or its id. */
export type EventRef = Resource | string | number;

export const eventId = (ev: EventRef): string => (typeof ev === 'object' ? ev.id : String(ev));
export const idOf = (x: Resource | string | number): string => (typeof x === 'object' ? x.id : String(x));

/** `{data: {type, id}}`, or `{data: [...]}` for a list. */
export function rel(type: string, ids: Resource | string | number | null | (Resource | string | number)[]) {
  if (ids === null) return { data: null };
  if (Array.isArray(ids)) return { data: ids.map((id) => ({ type, id: idOf(id) })) };
  return { data: { type, id: idOf(ids) } };
}

export const GRANTABLE_ROLES = ['organizer', 'coorganizer', 'track_organizer', 'registrar', 'moderator'] as const;
export type Role = 'owner' | (typeof GRANTABLE_ROLES)[number];

/** The usual event: one February day in UTC. */
export const EVENT_DEFAULTS = {
  name: 'Open Source Summit',
  'starts-at': '2026-02-01T08:00:00Z',
  'ends-at': '2026-02-01T18:00:00Z',
};

/** The body of a create request. */
export function body(type: string, attributes: Record<string, unknown>, relationships?: Record<string, unknown>) {
  return { data: { type, attributes, ...(relationships ? { relationships } : {}) } };
}

/** Throws with the server's answer unless the status is the expected one. */
export function expectStatus(response: TestResponse, status: number, what: string): TestResponse {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status}: ${response.text.slice(0, 1000)}`);
  }
  return response;
}

async function create(
  t: TestApp,
  token: string,
  path: string,
  type: string,
  attributes: Record<string, unknown>,
  relationships?: Record<string, unknown>,
): Promise<Resource> {
  const response = await t.request({ method: 'POST', url: path, token, json: body(type, attributes, relationships) });
  return expectStatus(response, 201, `POST ${path}`).body.data;
}

export function createEvent(t: TestApp, token: string, attributes: Record<string, unknown> = {}): Promise<Resource> {
  return create(t, token, '/v1/events', 'event', { ...EVENT_DEFAULTS, ...attributes });
}

/** Creates an event and publishes it (public unless attributes say otherwise). */
export async function createPublishedEvent(t: TestApp, token: string, attributes: Record<string, unknown> = {}) {
  return publish(t, token, await createEvent(t, token, attributes));
}

export async function patch(
  t: TestApp,
  token: string,
  path: string,
  type: string,
  id: string,
  attributes: Record<string, unknown>,
  relationships?: Record<string, unknown>,
): Promise<Resource> {
  const response = await t.request({
    method: 'PATCH',
    url: `${path}/${id}`,
    token,
    json: { data: { type, id, attributes, ...(relationships ? { relationships } : {}) } },
  });
  return expectStatus(response, 200, `PATCH ${path}/${id}`).body.data;
}

export function publish(t: TestApp, token: string, ev: EventRef): Promise<Resource> {
  return patch(t, token, '/v1/events', 'event', eventId(ev), { state: 'published' });
}

const child =
  (path: string, type: string, defaults: () => Record<string, unknown>) =>
  (t: TestApp, token: string, ev: EventRef, attributes: Record<string, unknown> = {}, relationships: Record<string, unknown> = {}) =>
    create(t, token, path, type, { ...defaults(), ...attributes }, { event: rel('event', eventId(ev)), ...relationships });

let counter = 0;
const next = () => ++counter;

export const createTrack = child('/v1/tracks', 'track', () => ({ name: `Track ${next()}` }));
export const createRoom = child('/v1/microlocations', 'microlocation', () => ({ name: `Room ${next()}` }));
export const createSessionType = child('/v1/session-types', 'session-type', () => ({ name: `Talk ${next()}`, length: '00:30' }));
export const createSpeaker = child('/v1/speakers', 'speaker', () => ({ name: `Speaker ${next()}` }));

export interface SessionLinks {
  track?: Resource | string | null;
  microlocation?: Resource | string | null;
  sessionType?: Resource | string | null;
  speakers?: (Resource | string)[];
}

export function createSession(
  t: TestApp,
  token: string,
  ev: EventRef,
  attributes: Record<string, unknown> = {},
  links: SessionLinks = {},
): Promise<Resource> {
  const relationships: Record<string, unknown> = { event: rel('event', eventId(ev)) };
  if (links.track !== undefined) relationships.track = rel('track', links.track);
  if (links.microlocation !== undefined) relationships.microlocation = rel('microlocation', links.microlocation);
  if (links.sessionType !== undefined) relationships['session-type'] = rel('session-type', links.sessionType);
  if (links.speakers !== undefined) relationships.speakers = rel('speaker', links.speakers);
  return create(t, token, '/v1/sessions', 'session', { title: `Session ${next()}`, ...attributes }, relationships);
}

export function roleBody(ev: EventRef, userId: number | string, role: string) {
  return {
    data: {
      type: 'users-events-role',
      attributes: { 'role-name': role },
      relationships: { user: rel('user', String(userId)), event: rel('event', eventId(ev)) },
    },
  };
}

/** The body of POST /v1/role-invites. */
export function inviteBody(ev: EventRef, email: string, role: string) {
  return { data: { type: 'role-invite', attributes: { email, 'role-name': role }, relationships: { event: rel('event', eventId(ev)) } } };
}

/**
 * Gives a user a role the way people join a team: `token` invites the user's email, and the user
 * accepts the invitation. Returns the users-events-role the acceptance created.
 */
export async function grantRole(t: TestApp, token: string, ev: EventRef, userId: number | string, role: Role): Promise<Resource> {
  const db = t.database.connection.db;
  const [invitee] = await db.select({ email: users.email }).from(users).where(eq(users.id, Number(userId)));
  if (!invitee) throw new Error(`grant ${role}: no user ${userId}`);
  const invited = expectStatus(
    await t.request({ method: 'POST', url: '/v1/role-invites', token, json: inviteBody(ev, invitee.email, role) }),
    201,
    `invite ${role}`,
  ).body.data;
  const inviteeToken = await tokenService(t.config.secretKey).issue(Number(userId));
  const mine = expectStatus(await t.request({ method: 'GET', url: '/v1/users/me/role-invites', token: inviteeToken }), 200, 'my invites');
  const hash = mine.body.data.find((item: Resource) => item.id === invited.id).attributes.hash;
  const accept = { method: 'POST' as const, url: '/v1/role-invites/accept-invite', token: inviteeToken, json: { data: { token: hash } } };
  expectStatus(await t.request(accept), 200, `accept ${role}`);
  const [granted] = await db
    .select({ id: eventRoles.id })
    .from(eventRoles)
    .where(and(eq(eventRoles.userId, Number(userId)), eq(eventRoles.eventId, Number(eventId(ev))), eq(eventRoles.roleName, role), isNull(eventRoles.deletedAt)));
  const response = await t.request({ method: 'GET', url: `/v1/users-events-roles/${granted!.id}`, token: inviteeToken });
  return expectStatus(response, 200, `read the new ${role} role`).body.data;
}

/** A signed-in user who is an admin (admin is read from the database on every request). */
export async function signUpAdmin(t: TestApp): Promise<User> {
  const user = await signUp(t);
  await ensureAdmin(t.database.connection.db, user.email, user.password);
  return user;
}

/**
 * A user put straight into the database, with a token from the app's own token service: no password
 * hashing (scrypt), so fixtures with dozens of users stay fast. Registration and login have their own
 * tests (test/http/users.test.ts); the schedule tests only need someone to be signed in as.
 */
export async function quickUser(t: TestApp, options: { admin?: boolean } = {}): Promise<User> {
  const email = `quick-${randomBytes(6).toString('hex')}@example.org`;
  const [row] = await t.database.connection.db
    .insert(users)
    .values({ email, passwordHash: 'scrypt$unusable', isAdmin: !!options.admin })
    .returning();
  const token = await tokenService(t.config.secretKey).issue(row!.id);
  return { id: row!.id, email, password: '', token };
}

/** A registered user who never signs in: just an id to grant roles to. */
export async function registerUser(t: TestApp): Promise<number> {
  return (await quickUser(t)).id;
}

/** GET with an optional token, returning the response. */
export const get = (t: TestApp, url: string, token?: string) => t.request({ method: 'GET', url, token });

/** The ids of a collection document's data. */
export const ids = (response: TestResponse): string[] => (response.body?.data ?? []).map((r: Resource) => r.id);

/** The `source.pointer`s of an error document, sorted. */
export const pointers = (response: TestResponse): string[] =>
  (response.body?.errors ?? []).map((e: any) => e.source?.pointer).filter(Boolean).sort();

/** Asserts a 422 that names the given pointer. */
export function expect422(response: TestResponse, pointer: string, message?: string) {
  expect(response.status, `${message ?? pointer}: ${response.text.slice(0, 500)}`).toBe(422);
  expect(pointers(response), message ?? pointer).toContain(pointer);
  expect(response.body.errors[0]).toMatchObject({ status: '422', title: 'Unprocessable Entity' });
}

/** Every resource object of a document: data (one or many) and included. */
export function allResources(document: any): Resource[] {
  if (!document) return [];
  const data = Array.isArray(document.data) ? document.data : document.data ? [document.data] : [];
  return [...data, ...(document.included ?? [])];
}

/** Attributes only the event's organizers may see, by resource type. */
export const PRIVATE_ATTRIBUTES: Record<string, string[]> = {
  session: ['comments'],
  speaker: ['email', 'mobile'],
};

/** Asserts that no resource of a document (data or included) carries an attribute the viewer may not see. */
export function expectNoPrivateFields(document: any, message = '') {
  for (const resource of allResources(document)) {
    for (const name of PRIVATE_ATTRIBUTES[resource.type] ?? []) {
      expect(resource.attributes, `${message} ${resource.type} ${resource.id} must not carry "${name}"`).not.toHaveProperty([name]);
    }
  }
}
