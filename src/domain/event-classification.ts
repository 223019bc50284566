// The lists events are classified by, as OES has them: event types ("Conference"), event topics
// ("Science & Technology") and each topic's sub-topics ("Robotics"). Admins keep the lists; anyone
// reads them (the event wizard and the explore page offer them). Each entry gets a slug from its
// name when created, by OES's rule, and keeps it when renamed so links to it stay valid.
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/connection.ts';
import { eventSubTopics, eventTopics, eventTypes, events } from '../db/schema/index.ts';
import { listPage } from '../db/paging.ts';
import { InvalidError, NotFoundError } from './errors.ts';
import { requireAdmin } from './admin.ts';
import type { User } from './users.ts';

export type EventType = typeof eventTypes.$inferSelect;
export type EventTopic = typeof eventTopics.$inferSelect;
export type EventSubTopic = typeof eventSubTopics.$inferSelect;

export interface ListQuery {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

const named = <T extends typeof eventTypes | typeof eventTopics | typeof eventSubTopics>(table: T) => ({
  fields: {
    id: { column: table.id, kind: 'integer' as const },
    name: { column: table.name, kind: 'text' as const },
    slug: { column: table.slug, kind: 'text' as const },
  },
  defaultSort: [asc(table.id)],
});

export const EVENT_TYPE_LIST = named(eventTypes);
export const EVENT_TOPIC_LIST = { ...named(eventTopics), includes: ['event-sub-topics'] as const };
export const EVENT_SUB_TOPIC_LIST = { ...named(eventSubTopics), includes: ['event-topic'] as const };

/** OES's slug: lower case, "&" and commas dropped, spaces and slashes as hyphens ("Travel & Outdoor" → "travel-outdoor"). */
export function slugOf(name: string): string {
  return name.toLowerCase().replaceAll('& ', '').replaceAll(',', '').replaceAll('/', '-').replaceAll(' ', '-');
}

/** A taken slug gets a random suffix, as OES does, so two "Workshop" entries can exist. */
async function withFreeSlug<R>(name: string, insert: (slug: string) => Promise<R | undefined>): Promise<R> {
  const slug = slugOf(name);
  return (await insert(slug)) ?? (await insert(`${slug}-${randomBytes(6).toString('hex')}`))!;
}

function checkName(name: string | undefined, required: boolean): string | undefined {
  if (name === undefined && !required) return undefined;
  if (name === undefined || name.trim() === '') throw new InvalidError('"name" is required', { attribute: 'name' });
  return name.trim();
}

function page(db: Queryable, table: typeof eventTypes | typeof eventTopics | typeof eventSubTopics, query: ListQuery) {
  return listPage(
    db.select().from(table).where(query.where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
    db.select({ n: count() }).from(table).where(query.where),
  );
}

// Event types

export function listEventTypes(db: Queryable, query: ListQuery) {
  return page(db, eventTypes, query) as Promise<{ rows: EventType[]; total: number }>;
}

export async function findEventType(db: Queryable, id: number): Promise<EventType> {
  const [row] = await db.select().from(eventTypes).where(eq(eventTypes.id, id));
  if (!row) throw new NotFoundError('No such event type');
  return row;
}

export async function createEventType(db: Queryable, user: User, input: { name?: string }): Promise<EventType> {
  requireAdmin(user, 'add event types');
  const name = checkName(input.name, true)!;
  return withFreeSlug(name, async (slug) => {
    const [row] = await db.insert(eventTypes).values({ name, slug }).onConflictDoNothing().returning();
    return row;
  });
}

export async function updateEventType(db: Queryable, user: User, id: number, input: { name?: string }): Promise<EventType> {
  requireAdmin(user, 'change event types');
  const name = checkName(input.name, false);
  if (name === undefined) return findEventType(db, id);
  const [row] = await db.update(eventTypes).set({ name }).where(eq(eventTypes.id, id)).returning();
  if (!row) throw new NotFoundError('No such event type');
  return row;
}

export async function deleteEventType(db: Queryable, user: User, id: number): Promise<void> {
  requireAdmin(user, 'delete event types');
  const deleted = await db.delete(eventTypes).where(eq(eventTypes.id, id)).returning({ id: eventTypes.id });
  if (!deleted.length) throw new NotFoundError('No such event type');
}

// Event topics

export interface TopicInput {
  name?: string;
  systemImageUrl?: string | null;
}

export function listEventTopics(db: Queryable, query: ListQuery) {
  return page(db, eventTopics, query) as Promise<{ rows: EventTopic[]; total: number }>;
}

export async function findEventTopic(db: Queryable, id: number): Promise<EventTopic> {
  const [row] = await db.select().from(eventTopics).where(eq(eventTopics.id, id));
  if (!row) throw new NotFoundError('No such event topic');
  return row;
}

function checkImageUrl(url: string | null | undefined): string | null | undefined {
  if (url === undefined || url === null || url.trim() === '') return url === undefined ? undefined : null;
  if (!/^https?:\/\/\S+$/i.test(url.trim())) {
    throw new InvalidError('"system-image-url" must be an http:// or https:// URL', { attribute: 'system-image-url' });
  }
  return url.trim();
}

export async function createEventTopic(db: Queryable, user: User, input: TopicInput): Promise<EventTopic> {
  requireAdmin(user, 'add event topics');
  const name = checkName(input.name, true)!;
  const systemImageUrl = checkImageUrl(input.systemImageUrl) ?? null;
  return withFreeSlug(name, async (slug) => {
    const [row] = await db.insert(eventTopics).values({ name, slug, systemImageUrl }).onConflictDoNothing().returning();
    return row;
  });
}

export async function updateEventTopic(db: Queryable, user: User, id: number, input: TopicInput): Promise<EventTopic> {
  requireAdmin(user, 'change event topics');
  const changes = { name: checkName(input.name, false), systemImageUrl: checkImageUrl(input.systemImageUrl) };
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(set).length === 0) return findEventTopic(db, id);
  const [row] = await db.update(eventTopics).set(set).where(eq(eventTopics.id, id)).returning();
  if (!row) throw new NotFoundError('No such event topic');
  return row;
}

/** Deletes the topic and its sub-topics with it (they mean nothing without it). */
export async function deleteEventTopic(db: Queryable, user: User, id: number): Promise<void> {
  requireAdmin(user, 'delete event topics');
  const deleted = await db.delete(eventTopics).where(eq(eventTopics.id, id)).returning({ id: eventTopics.id });
  if (!deleted.length) throw new NotFoundError('No such event topic');
}

// Event sub-topics

export interface SubTopicInput {
  name?: string;
  eventTopicId?: number;
}

/** Sub-topics, all or those of one topic (404 when that topic does not exist). */
export async function listEventSubTopics(db: Queryable, query: ListQuery, topicId?: number) {
  if (topicId === undefined) return page(db, eventSubTopics, query) as Promise<{ rows: EventSubTopic[]; total: number }>;
  await findEventTopic(db, topicId);
  const where = and(eq(eventSubTopics.eventTopicId, topicId), query.where);
  return page(db, eventSubTopics, { ...query, where }) as Promise<{ rows: EventSubTopic[]; total: number }>;
}

/** The sub-topics of these topics, for `include=event-sub-topics`. */
export function subTopicsOf(db: Queryable, topicIds: number[]): Promise<EventSubTopic[]> {
  if (topicIds.length === 0) return Promise.resolve([]);
  return db.select().from(eventSubTopics).where(inArray(eventSubTopics.eventTopicId, topicIds)).orderBy(asc(eventSubTopics.id));
}

/** The topics of these sub-topics, for `include=event-topic`. */
export function topicsByIds(db: Queryable, ids: number[]): Promise<EventTopic[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(eventTopics).where(inArray(eventTopics.id, [...new Set(ids)])).orderBy(asc(eventTopics.id));
}

export async function findEventSubTopic(db: Queryable, id: number): Promise<EventSubTopic> {
  const [row] = await db.select().from(eventSubTopics).where(eq(eventSubTopics.id, id));
  if (!row) throw new NotFoundError('No such event sub-topic');
  return row;
}

async function checkTopic(db: Queryable, topicId: number): Promise<void> {
  const [row] = await db.select({ id: eventTopics.id }).from(eventTopics).where(eq(eventTopics.id, topicId));
  if (!row) throw new InvalidError(`There is no event topic ${topicId}`, { relationship: 'event-topic' });
}

export async function createEventSubTopic(db: Queryable, user: User, input: SubTopicInput): Promise<EventSubTopic> {
  requireAdmin(user, 'add event sub-topics');
  const name = checkName(input.name, true)!;
  // OES: "A valid relationship with event_topic resource is required".
  if (input.eventTopicId === undefined) {
    throw new InvalidError('A sub-topic needs its event topic', { relationship: 'event-topic' });
  }
  await checkTopic(db, input.eventTopicId);
  const eventTopicId = input.eventTopicId;
  return withFreeSlug(name, async (slug) => {
    const [row] = await db.insert(eventSubTopics).values({ name, slug, eventTopicId }).onConflictDoNothing().returning();
    return row;
  });
}

export async function updateEventSubTopic(db: Queryable, user: User, id: number, input: SubTopicInput): Promise<EventSubTopic> {
  requireAdmin(user, 'change event sub-topics');
  const name = checkName(input.name, false);
  if (input.eventTopicId !== undefined) await checkTopic(db, input.eventTopicId);
  const set = { ...(name !== undefined ? { name } : {}), ...(input.eventTopicId !== undefined ? { eventTopicId: input.eventTopicId } : {}) };
  if (Object.keys(set).length === 0) return findEventSubTopic(db, id);
  const [row] = await db.update(eventSubTopics).set(set).where(eq(eventSubTopics.id, id)).returning();
  if (!row) throw new NotFoundError('No such event sub-topic');
  return row;
}

export async function deleteEventSubTopic(db: Queryable, user: User, id: number): Promise<void> {
  requireAdmin(user, 'delete event sub-topics');
  const deleted = await db.delete(eventSubTopics).where(eq(eventSubTopics.id, id)).returning({ id: eventSubTopics.id });
  if (!deleted.length) throw new NotFoundError('No such event sub-topic');
}

// ---- An event's own type, topic and sub-topic (its event-type, event-topic, event-sub-topic relationships).

/** The classification columns of an event, as a write gives them (null clears one). */
export interface Classification {
  eventTypeId?: number | null;
  eventTopicId?: number | null;
  eventSubTopicId?: number | null;
}

const CLASSIFIED_BY = [
  { relationship: 'event-type', key: 'eventTypeId', table: eventTypes, column: events.eventTypeId },
  { relationship: 'event-topic', key: 'eventTopicId', table: eventTopics, column: events.eventTopicId },
  { relationship: 'event-sub-topic', key: 'eventSubTopicId', table: eventSubTopics, column: events.eventSubTopicId },
] as const;

/** Every id a write links an event to names an entry of its list (422 on the relationship otherwise). */
export async function checkClassification(db: Queryable, values: Classification): Promise<void> {
  for (const { relationship, key, table } of CLASSIFIED_BY) {
    const id = values[key];
    if (id === undefined || id === null) continue;
    const [found] = await db.select({ id: table.id }).from(table).where(eq(table.id, id));
    if (!found) throw new InvalidError(`No ${relationship} ${id}`, { relationship });
  }
}

/** The type, topic and sub-topic an event links to (null where none), for `include` and linkage. */
export async function classificationOf(
  db: Queryable,
  event: { eventTypeId: number | null; eventTopicId: number | null; eventSubTopicId: number | null },
): Promise<{ type: EventType | null; topic: EventTopic | null; subTopic: EventSubTopic | null }> {
  const one = async <T>(rows: Promise<T[]>) => (await rows)[0] ?? null;
  return {
    type: event.eventTypeId === null ? null : await one(db.select().from(eventTypes).where(eq(eventTypes.id, event.eventTypeId))),
    topic: event.eventTopicId === null ? null : await one(db.select().from(eventTopics).where(eq(eventTopics.id, event.eventTopicId))),
    subTopic: event.eventSubTopicId === null ? null : await one(db.select().from(eventSubTopics).where(eq(eventSubTopics.id, event.eventSubTopicId))),
  };
}

/**
 * Event-list filters through these relationships (`has`, and `ne null` said as `has`): events linked
 * to an entry on which the condition holds, on the entry's id, name and slug.
 */
export const CLASSIFICATION_FILTERS = Object.fromEntries(
  CLASSIFIED_BY.map(({ relationship, table, column }) => [
    relationship,
    {
      kind: 'one' as const,
      fields: () => named(table).fields,
      exists: (where: SQL | undefined): SQL => sql`EXISTS (SELECT 1 FROM ${table} WHERE ${table.id} = ${column}${where ? sql` AND ${where}` : sql``})`,
    },
  ]),
);
