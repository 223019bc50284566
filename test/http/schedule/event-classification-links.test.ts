// An event's event-type, event-topic and event-sub-topic relationships (issue 14): set by the
// wizard's create and save, included with their records, answered as linkage, and filtered on by the
// explore and home pages' event lists.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { EVENT_DEFAULTS, publish, quickUser, type Resource, type User } from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let admin: User;
let conference: string;
let science: string;
let robotics: string;
let classified: Resource;
let plain: Resource;

const post = async (url: string, data: Record<string, unknown>, token: string) => {
  const response = await t.request({ method: 'POST', url, token, json: { data } });
  expect(response.status, response.text).toBe(201);
  return response.body.data;
};

const classification = (type: string | null, topic: string | null, subTopic: string | null) => ({
  'event-type': { data: type && { type: 'event-type', id: type } },
  'event-topic': { data: topic && { type: 'event-topic', id: topic } },
  'event-sub-topic': { data: subTopic && { type: 'event-sub-topic', id: subTopic } },
});

beforeAll(async () => {
  t = await startTestApp();
  [owner, admin] = await Promise.all([quickUser(t), quickUser(t, { admin: true })]);
  conference = (await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Conference' } }, admin.token)).id;
  science = (await post('/v1/event-topics', { type: 'event-topic', attributes: { name: 'Science & Technology' } }, admin.token)).id;
  robotics = (
    await post('/v1/event-sub-topics', { type: 'event-sub-topic', attributes: { name: 'Robotics' }, relationships: { 'event-topic': { data: { type: 'event-topic', id: science } } } }, admin.token)
  ).id;
  // The wizard's create: the event with its type, topic and sub-topic chosen.
  classified = await post('/v1/events', { type: 'event', attributes: { ...EVENT_DEFAULTS, name: 'Robot Conf' }, relationships: classification(conference, science, robotics) }, owner.token);
  plain = await post('/v1/events', { type: 'event', attributes: { ...EVENT_DEFAULTS, name: 'Plain' } }, owner.token);
  await Promise.all([publish(t, owner.token, classified), publish(t, owner.token, plain)]);
});

const listIds = async (filter: unknown) => {
  const response = await t.request({ method: 'GET', url: `/v1/events?page[size]=100&filter=${encodeURIComponent(JSON.stringify(filter))}` });
  expect(response.status, response.text).toBe(200);
  return response.body.data.map((event: Resource) => event.id);
};

describe("an event's type, topic and sub-topic", () => {
  it('are included with their records', async () => {
    const response = await t.request({ method: 'GET', url: `/v1/events/${classified.id}?include=event-type,event-topic,event-sub-topic` });
    expect(response.status, response.text).toBe(200);
    const { relationships } = response.body.data;
    expect(relationships['event-type'].data).toEqual({ type: 'event-type', id: conference });
    expect(relationships['event-topic'].data).toEqual({ type: 'event-topic', id: science });
    expect(relationships['event-sub-topic'].data).toEqual({ type: 'event-sub-topic', id: robotics });
    const included = Object.fromEntries(response.body.included.map((x: Resource) => [x.type, x]));
    expect(included['event-type']).toMatchObject({ id: conference, attributes: { name: 'Conference', slug: 'conference' } });
    expect(included['event-topic']).toMatchObject({ id: science, attributes: { name: 'Science & Technology' } });
    expect(included['event-sub-topic']).toMatchObject({ id: robotics, attributes: { name: 'Robotics', slug: 'robotics' } });
  });

  it('answer their relationship links', async () => {
    const linkage = await t.request({ method: 'GET', url: `/v1/events/${classified.id}/relationships/event-topic` });
    expect(linkage.body.data).toEqual({ type: 'event-topic', id: science });
    const none = await t.request({ method: 'GET', url: `/v1/events/${plain.id}/relationships/event-type` });
    expect(none.body.data).toBeNull();
  });

  it('filter event lists: has a type, a topic by slug, a sub-topic by name, and none', async () => {
    expect(await listIds([{ name: 'event-type', op: 'ne', val: null }])).toEqual([classified.id]);
    expect(await listIds([{ name: 'event-topic', op: 'has', val: { name: 'slug', op: 'eq', val: 'science-technology' } }])).toEqual([classified.id]);
    expect(await listIds([{ name: 'event-sub-topic', op: 'has', val: { name: 'name', op: 'eq', val: 'Robotics' } }])).toEqual([classified.id]);
    expect(await listIds([{ name: 'event-topic', op: 'has', val: { name: 'slug', op: 'eq', val: 'music' } }])).toEqual([]);
    const untyped = await listIds([{ name: 'event-type', op: 'eq', val: null }]);
    expect(untyped).toContain(plain.id);
    expect(untyped).not.toContain(classified.id);
  });

  it('change with the save, clear with data null, and refuse an entry that does not exist', async () => {
    const ev = await post('/v1/events', { type: 'event', attributes: { ...EVENT_DEFAULTS, name: 'Later' } }, owner.token);
    const save = (relationships: Record<string, unknown>) =>
      t.request({ method: 'PATCH', url: `/v1/events/${ev.id}?include=event-type`, token: owner.token, json: { data: { type: 'event', id: ev.id, attributes: {}, relationships } } });
    expect((await save(classification(conference, science, null))).status).toBe(200);
    const typed = await t.request({ method: 'GET', url: `/v1/events/${ev.id}/relationships/event-type`, token: owner.token });
    expect(typed.body.data).toEqual({ type: 'event-type', id: conference });
    expect((await save({ 'event-type': { data: null } })).status).toBe(200);
    const cleared = await t.request({ method: 'GET', url: `/v1/events/${ev.id}?include=event-type,event-topic`, token: owner.token });
    expect(cleared.body.data.relationships['event-type'].data).toBeNull();
    expect(cleared.body.data.relationships['event-topic'].data).toEqual({ type: 'event-topic', id: science });
    const unknown = await save({ 'event-type': { data: { type: 'event-type', id: '999999' } } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].source).toEqual({ pointer: '/data/relationships/event-type' });
  });

  it('is let go when an admin deletes the entry', async () => {
    const workshop = await post('/v1/event-types', { type: 'event-type', attributes: { name: 'Workshop' } }, admin.token);
    const ev = await post('/v1/events', { type: 'event', attributes: { ...EVENT_DEFAULTS, name: 'Hands on' }, relationships: classification(workshop.id, null, null) }, owner.token);
    expect((await t.request({ method: 'DELETE', url: `/v1/event-types/${workshop.id}`, token: admin.token })).status).toBe(200);
    const after = await t.request({ method: 'GET', url: `/v1/events/${ev.id}?include=event-type`, token: owner.token });
    expect(after.status).toBe(200);
    expect(after.body.data.relationships['event-type'].data).toBeNull();
  });
});
