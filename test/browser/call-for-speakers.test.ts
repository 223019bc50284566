// A speaker answers a call for speakers through OES's own web client (issue 17): on the event's
// `/e/{id}/cfs` page they add their speaker details and a session, which the client saves through
// openevent's API (POST speaker, POST session, PATCH session with the speaker). The proposal is theirs
// and pending; once the organizer accepts and schedules it, it is in the event's calendar feed.
// openevent runs as `npm start` runs it (PGlite, or a database of its own with TEST_DATABASE_URL), the
// client is served by ../shared's serve.mjs from another origin, Chromium drives it (harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import {
  launchChromium,
  newPerson,
  apiCaller,
  backends,
  startOpeneventWithClient,
  whyBrowserTestsCannotRun,
  type RunningServer,
  type ServedClient,
} from './harness.ts';

const cannotRun = whyBrowserTestsCannotRun();
if (cannotRun) console.warn(`[browser] SKIPPED — the call for speakers test cannot run: ${cannotRun}`);

/**
 * Endpoints of OES features that other work brings (groups, sponsors, video streams, exhibitors): the
 * client's event pages ask for them on every page; their failures are not this journey's.
 */
const ELSEWHERE = [/^\/v1\/groups/, /\/sponsors$/, /\/has-streams$/, /\/exhibitors$/];

type PageGlobals = {
  document: { body: { innerText: string } | null; querySelectorAll(selector: string): ArrayLike<unknown> };
  jQuery?: (element: unknown) => { data(key: string): unknown };
};

/**
 * The client sets up a form's validation a moment after drawing it; a submit before that is lost (a
 * person cannot type that fast). Waits until every `form.ui.form` on the page has it.
 */
async function formReady(page: Page) {
  await page.waitForFunction(
    () => {
      const window = globalThis as unknown as PageGlobals;
      const forms = Array.from(window.document.querySelectorAll('form.ui.form'));
      return forms.length > 0 && forms.some((form) => !!window.jQuery && !!window.jQuery(form).data('moduleForm'));
    },
    undefined,
    { timeout: 30_000 },
  );
}

const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe.skipIf(cannotRun)('call for speakers in OES\'s web client', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const backend of backends) {
    describe(`openevent on ${backend}`, () => {
      let served: ServedClient;
      let server: RunningServer;
      let api: ReturnType<typeof apiCaller>;

      beforeAll(async () => {
        served = await startOpeneventWithClient(backend, { crossOrigin: true });
        server = served.server;
        api = apiCaller(server);
      }, 180_000);

      afterAll(() => served?.stop(), 60_000);

      const person = (name: string) => newPerson(server, name);

      /** A published event with sessions and speakers on, an open public call, and the forms the wizard makes. */
      async function eventWithOpenCall(owner: { token: string }) {
        const event = (await api('POST', '/v1/events', { data: { type: 'event', attributes: { name: 'Thinking Machines', 'starts-at': at(30), 'ends-at': at(31), 'is-sessions-speakers-enabled': true, 'is-cfs-enabled': true } } }, owner.token)).data;
        await api('PATCH', `/v1/events/${event.id}`, { data: { type: 'event', id: event.id, attributes: { state: 'published' } } }, owner.token);
        const ofEvent = { event: { data: { type: 'event', id: event.id } } };
        await api('POST', '/v1/speakers-calls', { data: { type: 'speakers-call', attributes: { announcement: 'Tell us about your engines', 'starts-at': at(-1), 'ends-at': at(10), privacy: 'public' }, relationships: ofEvent } }, owner.token);
        const fields: [string, string, string, boolean][] = [
          ['session', 'title', 'text', true],
          ['session', 'shortAbstract', 'paragraph', false],
          ['speaker', 'name', 'text', true],
          ['speaker', 'email', 'email', true],
        ];
        for (const [form, identifier, type, required] of fields) {
          await api('POST', '/v1/custom-forms', { data: { type: 'custom-form', attributes: { form, 'field-identifier': identifier, type, 'is-required': required, 'is-included': true, 'is-fixed': required }, relationships: ofEvent } }, owner.token);
        }
        return event as { id: string; attributes: { identifier: string } };
      }

      /** Every API request the page makes that fails (4xx/5xx), as "METHOD path → status". */
      function failures(page: Page): string[] {
        const found: string[] = [];
        page.on('response', (response) => {
          const url = response.url();
          if (!url.startsWith(server.url) || response.status() < 400) return;
          const path = new URL(url).pathname;
          if (ELSEWHERE.some((pattern) => pattern.test(path))) return;
          found.push(`${response.request().method()} ${path} → ${response.status()}`);
        });
        return found;
      }

      it('a speaker submits a proposal on /e/{id}/cfs; accepted, it reaches the calendar feed', async () => {
        const owner = await person('organizer');
        const speaker = await person('speaker');
        const event = await eventWithOpenCall(owner);
        const identifier = event.attributes.identifier;

        const context = await browser.newContext();
        const page = await context.newPage();
        const failed = failures(page);
        try {
          await page.goto(`${served.crossOrigin!.url}/login`, { timeout: 60_000 });
          await page.locator('input[name=email]').fill(speaker.email);
          await page.locator('input[name=password]').fill(speaker.password);
          await formReady(page);
          await page.locator('button[type=submit]').click();
          // Signed in, the client shows the user's email in its menu.
          await page.waitForFunction(
            (email) => (globalThis as unknown as PageGlobals).document.body?.innerText.includes(email) ?? false,
            speaker.email,
            { timeout: 30_000 },
          );

          await page.goto(`${served.crossOrigin!.url}/e/${identifier}/cfs`);
          await page.getByText('Tell us about your engines').waitFor({ timeout: 30_000 });
          await page.getByText('Add Speaker Details').click();
          await page.waitForURL(/\/cfs\/new-speaker$/, { timeout: 30_000 });
          // The client fills in the signed-in user's email itself.
          expect(await page.locator('#speaker_email_required').inputValue()).toBe(speaker.email);
          await page.locator('#speaker_name_required').fill('Ada Lovelace');
          await formReady(page);
          await page.locator('form button[type=submit]').click();
          await page.waitForURL(/\/cfs\/speaker\/\d+$/, { timeout: 30_000 });
          await page.getByText('Ada Lovelace').first().waitFor({ timeout: 30_000 });

          await page.goto(`${served.crossOrigin!.url}/e/${identifier}/cfs`);
          await page.getByText('Add New Session').click();
          await page.waitForURL(/\/cfs\/new-session$/, { timeout: 30_000 });
          await page.locator('#session_title_required').fill('Engines of thought');
          await formReady(page);
          await page.locator('form button[type=submit]').click();
          await page.waitForURL(/\/cfs\/session\/\d+$/, { timeout: 30_000 });
          await page.getByText('Engines of thought').first().waitFor({ timeout: 30_000 });

          // Back on the call page, the client lists the speaker's submitted session.
          await page.goto(`${served.crossOrigin!.url}/e/${identifier}/cfs`);
          await page.getByText('You have submitted the following session(s).').waitFor({ timeout: 30_000 });
        } finally {
          await context.close();
        }
        expect(failed, 'API requests that failed while the speaker used the client').toEqual([]);

        // The proposal: the speaker's own, pending, with their profile; the public does not see it.
        const mine = await api('GET', '/v1/users/me/sessions?include=speakers', undefined, speaker.token);
        expect(mine.data).toHaveLength(1);
        const session = mine.data[0];
        expect(session.attributes).toMatchObject({ title: 'Engines of thought', state: 'pending' });
        expect(mine.included.map((x: { attributes: { name: string; email: string } }) => [x.attributes.name, x.attributes.email])).toEqual([['Ada Lovelace', speaker.email]]);
        expect((await api('GET', `/v1/events/${event.id}/sessions`)).data).toEqual([]);

        // The organizer accepts and schedules it; the calendar feed carries it.
        await api('PATCH', `/v1/events/${event.id}`, { data: { type: 'event', id: event.id, attributes: { 'schedule-published-on': at(-1) } } }, owner.token);
        const before = await (await fetch(`${server.url}/v1/events/${identifier}.ics`)).text();
        expect(before).not.toContain('Engines of thought');
        await api('PATCH', `/v1/sessions/${session.id}`, { data: { type: 'session', id: session.id, attributes: { state: 'accepted', 'starts-at': at(30), 'ends-at': at(30.05) } } }, owner.token);
        const after = await (await fetch(`${server.url}/v1/events/${identifier}.ics`)).text();
        expect(after).toContain('SUMMARY:Engines of thought');
      }, 240_000);
    });
  }
});
