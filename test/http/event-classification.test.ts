// /v1/event-types, /v1/event-topics and /v1/event-sub-topics with OES's names and shapes
// (docs/api/blueprint/event/event_topics.apib, event_sub_topics.apib, event_types.apib).
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { ensureAdmin } from '../../src/domain/users.ts';

let t: TestApp;
let admin: { token: string };
let user: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  const someone = await signUp(t);
  await ensureAdmin(t.database.connection.db, someone.email, someone.password);
  admin = someone;
  user = await signUp(t);
});

const post = (path: string, data: Record<string, unknown>, token: string | undefined = admin.token) =>
  t.request({ method: 'POST', url: path, token, json: { data } });

describe('/v1/event-types', () => {
  it('is an empty collection before an admin adds any', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/event-types' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ data: [], meta: { count: 0 } });
  });

  it('lets an admin add a type with a slug from its name, listed sorted by name for anyone', async () => {
    const created = await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Camp, Trip, or Retreat' } });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(created.body.data).toEqual({
      type: 'event-type',
      id,
      attributes: { name: 'Camp, Trip, or Retreat', slug: 'camp-trip-or-retreat' },
      relationships: {
        events: { links: { self: `/v1/event-types/${id}/relationships/events`, related: `/v1/event-types/${id}/events` } },
      },
      links: { self: `/v1/event-types/${id}` },
    });
    await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Appearance or Signing' } });
    const list = await t.request({ method: 'GET', url: '/v1/event-types?sort=name' });
    expect(list.body.data.map((type: any) => type.attributes.name)).toEqual(['Appearance or Signing', 'Camp, Trip, or Retreat']);
  });

  it('gives a second entry of the same name its own slug', async () => {
    const first = await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Workshop' } });
    const second = await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Workshop' } });
    expect(first.body.data.attributes.slug).toBe('workshop');
    expect(second.body.data.attributes.slug).toMatch(/^workshop-[0-9a-f]+$/);
  });

  it('renames and deletes for admins only', async () => {
    const created = await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Seminar' } });
    const id = created.body.data.id;
    const rename = (token: string) =>
      t.request({ method: 'PATCH', url: `/v1/event-types/${id}`, token, json: { data: { type: 'event-type', id, attributes: { name: 'Talk' } } } });
    expect((await rename(user.token)).status).toBe(403);
    expect((await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Party' } }, user.token)).status).toBe(403);
    const anonymous = await t.request({ method: 'POST', url: '/v1/event-types', json: { data: { type: 'event-type', attributes: { name: 'Party' } } } });
    expect(anonymous.status).toBe(401);
    const renamed = await rename(admin.token);
    expect(renamed.status).toBe(200);
    // The slug stays, so links made with it keep working.
    expect(renamed.body.data.attributes).toEqual({ name: 'Talk', slug: 'seminar' });
    expect((await t.request({ method: 'DELETE', url: `/v1/event-types/${id}`, token: user.token })).status).toBe(403);
    const deleted = await t.request({ method: 'DELETE', url: `/v1/event-types/${id}`, token: admin.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    expect((await t.request({ method: 'GET', url: `/v1/event-types/${id}` })).status).toBe(404);
  });

  it('refuses an empty name', async () => {
    const response = await post('/v1/event-types', { type: 'event-type', attributes: { name: ' ' } });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].source).toEqual({ pointer: '/data/attributes/name' });
  });
});

describe('/v1/event-topics and /v1/event-sub-topics', () => {
  let topicId: string;
  let subTopicId: string;

  beforeAll(async () => {
    const topic = await post('/v1/event-topics', {
      type: 'event-topic',
      attributes: { name: 'Travel & Outdoor', 'system-image-url': 'https://example.org/mountain.jpg' },
    });
    topicId = topic.body.data.id;
    const sub = await post('/v1/event-sub-topics', {
      type: 'event-sub-topic',
      attributes: { name: 'Climbing' },
      relationships: { 'event-topic': { data: { type: 'event-topic', id: topicId } } },
    });
    subTopicId = sub.body.data.id;
  });

  it('answers a topic as the Blueprint shows it', async () => {
    const response = await t.request({ method: 'GET', url: `/v1/event-topics/${topicId}` });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: {
        type: 'event-topic',
        id: topicId,
        attributes: { name: 'Travel & Outdoor', slug: 'travel-outdoor', 'system-image-url': 'https://example.org/mountain.jpg' },
        relationships: {
          events: { links: { self: `/v1/event-topics/${topicId}/relationships/events`, related: `/v1/event-topics/${topicId}/events` } },
          'event-sub-topics': {
            links: {
              self: `/v1/event-topics/${topicId}/relationships/event-sub-topics`,
              related: `/v1/event-topics/${topicId}/event-sub-topics`,
            },
          },
        },
        links: { self: `/v1/event-topics/${topicId}` },
      },
      links: { self: `/v1/event-topics/${topicId}` },
      jsonapi: { version: '1.0' },
    });
  });

  it('includes the sub-topics of topics, as the event wizard asks (sort=name&include=event-sub-topics)', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/event-topics?sort=name&include=event-sub-topics' });
    expect(response.status).toBe(200);
    const topic = response.body.data.find((row: any) => row.id === topicId);
    expect(topic.relationships['event-sub-topics'].data).toEqual([{ type: 'event-sub-topic', id: subTopicId }]);
    expect(response.body.included).toEqual([
      expect.objectContaining({
        type: 'event-sub-topic',
        id: subTopicId,
        attributes: { name: 'Climbing', slug: 'climbing' },
      }),
    ]);
    expect(response.body.included[0].relationships['event-topic'].data).toEqual({ type: 'event-topic', id: topicId });
  });

  it('lists sub-topics overall, per topic, and links each to its topic', async () => {
    const all = await t.request({ method: 'GET', url: '/v1/event-sub-topics' });
    expect(all.body.data.map((row: any) => row.id)).toContain(subTopicId);
    const ofTopic = await t.request({ method: 'GET', url: `/v1/event-topics/${topicId}/event-sub-topics` });
    expect(ofTopic.body.meta.count).toBe(1);
    expect(ofTopic.body.data[0].relationships['event-topic'].links).toEqual({
      self: `/v1/event-sub-topics/${subTopicId}/relationships/event-topic`,
      related: `/v1/event-sub-topics/${subTopicId}/event-topic`,
    });
    const topic = await t.request({ method: 'GET', url: `/v1/event-sub-topics/${subTopicId}/event-topic` });
    expect(topic.body.data).toMatchObject({ type: 'event-topic', id: topicId });
    const included = await t.request({ method: 'GET', url: `/v1/event-sub-topics/${subTopicId}?include=event-topic` });
    expect(included.body.included).toEqual([expect.objectContaining({ type: 'event-topic', id: topicId })]);
    expect((await t.request({ method: 'GET', url: '/v1/event-topics/999999/event-sub-topics' })).status).toBe(404);
  });

  it('answers the relationship links it gives with the linkage', async () => {
    const ofTopic = await t.request({ method: 'GET', url: `/v1/event-topics/${topicId}/relationships/event-sub-topics` });
    expect(ofTopic.status).toBe(200);
    expect(ofTopic.body).toEqual({
      data: [{ type: 'event-sub-topic', id: subTopicId }],
      links: {
        self: `/v1/event-topics/${topicId}/relationships/event-sub-topics`,
        related: `/v1/event-topics/${topicId}/event-sub-topics`,
      },
      jsonapi: { version: '1.0' },
    });
    const ofSub = await t.request({ method: 'GET', url: `/v1/event-sub-topics/${subTopicId}/relationships/event-topic` });
    expect(ofSub.body.data).toEqual({ type: 'event-topic', id: topicId });
    expect((await t.request({ method: 'GET', url: '/v1/event-sub-topics/999999/relationships/event-topic' })).status).toBe(404);
  });

  it('needs the topic of a new sub-topic, and it must exist', async () => {
    const without = await post('/v1/event-sub-topics', { type: 'event-sub-topic', attributes: { name: 'Orphan' } });
    expect(without.status).toBe(422);
    expect(without.body.errors[0].source).toEqual({ pointer: '/data/relationships/event-topic' });
    const unknown = await post('/v1/event-sub-topics', {
      type: 'event-sub-topic',
      attributes: { name: 'Orphan' },
      relationships: { 'event-topic': { data: { type: 'event-topic', id: '999999' } } },
    });
    expect(unknown.status).toBe(422);
  });

  it('moves a sub-topic to another topic, and deleting a topic deletes its sub-topics', async () => {
    const other = await post('/v1/event-topics', { type: 'event-topic', attributes: { name: 'Science/Tech' } });
    expect(other.body.data.attributes.slug).toBe('science-tech');
    const otherId = other.body.data.id;
    const sub = await post('/v1/event-sub-topics', {
      type: 'event-sub-topic',
      attributes: { name: 'Robotics' },
      relationships: { 'event-topic': { data: { type: 'event-topic', id: topicId } } },
    });
    const subId = sub.body.data.id;
    const moved = await t.request({
      method: 'PATCH',
      url: `/v1/event-sub-topics/${subId}`,
      token: admin.token,
      json: { data: { type: 'event-sub-topic', id: subId, relationships: { 'event-topic': { data: { type: 'event-topic', id: otherId } } } } },
    });
    expect(moved.status).toBe(200);
    const ofOther = await t.request({ method: 'GET', url: `/v1/event-topics/${otherId}/event-sub-topics` });
    expect(ofOther.body.data.map((row: any) => row.attributes.name)).toEqual(['Robotics']);

    const deleted = await t.request({ method: 'DELETE', url: `/v1/event-topics/${otherId}`, token: admin.token });
    expect(deleted.status).toBe(200);
    expect((await t.request({ method: 'GET', url: `/v1/event-sub-topics/${subId}` })).status).toBe(404);
  });

  it('is written by admins only', async () => {
    expect((await post('/v1/event-topics', { type: 'event-topic', attributes: { name: 'Mine' } }, user.token)).status).toBe(403);
    const sub = await post(
      '/v1/event-sub-topics',
      { type: 'event-sub-topic', attributes: { name: 'Mine' }, relationships: { 'event-topic': { data: { type: 'event-topic', id: topicId } } } },
      user.token,
    );
    expect(sub.status).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/v1/event-sub-topics/${subTopicId}`, token: user.token })).status).toBe(403);
    expect((await t.request({ method: 'GET', url: `/v1/event-sub-topics/${subTopicId}` })).status).toBe(200);
  });
});
