// OES features openevent does not have, as OES's public event page asks for them: present and empty,
// and no more visible than the event itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createEvent, createPublishedEvent, quickUser, type Resource, type User } from '../support/schedule.ts';

let t: TestApp;
let owner: User;
let published: Resource;
let draft: Resource;

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  published = await createPublishedEvent(t, owner.token);
  draft = await createEvent(t, owner.token);
});

const get = (url: string, token?: string) => t.request({ method: 'GET', url, token });

describe('video streams and exhibitors of an event', () => {
  it('answer the public event page as OES does when there are none, by id and by identifier', async () => {
    for (const key of [published.id, published.attributes.identifier as string]) {
      const streams = await get(`/v1/events/${key}/has-streams`);
      expect(streams.status).toBe(200);
      expect(streams.body).toEqual({ exists: false, can_access: false });
      const exhibitors = await get(`/v1/events/${key}/exhibitors?filter=${encodeURIComponent('[{"name":"status","op":"eq","val":"accepted"}]')}&page[size]=1`);
      expect(exhibitors.status).toBe(200);
      expect(exhibitors.body).toMatchObject({ data: [], meta: { count: 0 }, jsonapi: { version: '1.0' } });
      const stream = await get(`/v1/events/${key}/video-stream`);
      expect(stream.status).toBe(200);
      expect(stream.body.data).toBeNull();
    }
  });

  it('say nothing about an event the caller may not see (404), and everything to its team', async () => {
    for (const path of ['has-streams', 'exhibitors', 'video-stream']) {
      expect((await get(`/v1/events/${draft.id}/${path}`)).status, path).toBe(404);
      expect((await get(`/v1/events/${draft.id}/${path}`, owner.token)).status, path).toBe(200);
      expect((await get(`/v1/events/no-such-event/${path}`)).status, path).toBe(404);
    }
  });
});
