// OES's own web client (open-event-frontend 1.18.0, in ../shared) on openevent, in headless Chromium.
// openevent runs as `npm start` runs it (a child process on a fresh PGlite DATA_DIR, and on a database of
// its own when TEST_DATABASE_URL is set); the client is served both ways a deployment would: by
// serve.mjs from another origin (through CORS_ORIGINS) and by openevent itself (FRONTEND_DIR). Against
// each, ../shared's journeys.mjs drives the client like a person and must see every journey pass with
// no failing API request.
//
// Which journeys run: test/browser/journeys.ts (`npm test`: the ones that pass today; the list grows as
// issues 13 and 14 land). All of them: `npm run test:browser`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Request } from 'playwright-core';
import {
  launchChromium,
  backends,
  runJourneys,
  startOpeneventWithClient,
  whyBrowserTestsCannotRun,
  type RunningServer,
  type ServedClient,
} from './harness.ts';
import { ALL_JOURNEYS, selectedJourneys } from './journeys.ts';

const cannotRun = whyBrowserTestsCannotRun();
if (cannotRun) console.warn(`[browser] SKIPPED — the web client tests cannot run: ${cannotRun}`);

const journeys = selectedJourneys();
const notRun = ALL_JOURNEYS.filter((name) => !journeys.includes(name));
if (!cannotRun && notRun.length) {
  console.warn(
    `[browser] journeys run: ${journeys.join(', ') || 'none'}; not run: ${notRun.join(', ')} ` +
      `(they do not pass yet; \`npm run test:browser\` runs them all)`,
  );
}

/** Per-step timeout of the runner: its default, generous enough for a loaded 2-core machine. */
const STEP_TIMEOUT_MS = 20_000;
/** A journey that fails waits out a step timeout or two; a passing one takes well under a minute. */
const JOURNEY_BUDGET_MS = 4 * STEP_TIMEOUT_MS + 30_000;
const RUN_LIMIT_MS = 30_000 + journeys.length * JOURNEY_BUDGET_MS;

type PageGlobals = { document: { body: { innerText: string } | null } };
/** How the browser's `GET /v1/settings` ended: an HTTP status, or why there was none. */
type SettingsAnswer = { status: number | string; allowOrigin?: string };


describe.skipIf(cannotRun)('OES web client in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * Opens the client's home page and waits until it has drawn the app name it read from
   * `GET /v1/settings` — the client's first request, whose failure blanks every page. Seeing the name
   * proves the browser let the client read that answer (CORS included).
   */
  async function firstPageReadsSettings(frontend: string, api: string) {
    const settings = (await (await fetch(`${api}/v1/settings`)).json()) as { data: { attributes: { 'app-name': string } } };
    const appName = settings.data.attributes['app-name'];
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const isSettings = (request: Request) => request.method() === 'GET' && request.url().startsWith(`${api}/v1/settings`);
      // A request the browser refuses (CORS) has no response, only a failure: wait for either.
      const settled = new Promise<SettingsAnswer>((done) => {
        page.on('response', (response) => {
          if (isSettings(response.request())) {
            done({ status: response.status(), allowOrigin: response.headers()['access-control-allow-origin'] });
          }
        });
        page.on('requestfailed', (request) => {
          if (isSettings(request)) done({ status: `failed: ${request.failure()?.errorText}` });
        });
      });
      await page.goto(frontend + '/', { timeout: 60_000 });
      const answer = await Promise.race([
        settled,
        new Promise<SettingsAnswer>((done) => setTimeout(() => done({ status: 'never requested in 60 s' }), 60_000).unref()),
      ]);
      expect(answer.status, `GET ${api}/v1/settings from ${frontend}`).toBe(200);
      await page.waitForFunction(
        // Runs in the page; this project's types have no DOM.
        (name) => (globalThis as unknown as PageGlobals).document.body?.innerText.includes(name) ?? false,
        appName,
        { timeout: 60_000 },
      );
      return answer;
    } finally {
      await context.close();
    }
  }

  /**
   * The one error answer the runner counts as a failure that is OES's own and that its client needs: an
   * event without a call for speakers answers `GET /v1/events/{ev}/speakers-call` with 404, as OES does,
   * and the wizard's Sessions & Speakers step creates the call only when that read fails (its route's
   * getOrCreateCFS). Answering `{"data": null}` instead would pass the runner and silently drop every
   * call an organizer sets up there.
   */
  function answeredAsOes(failure: { method: string; path: string; status: number | string; detail: string }): boolean {
    return (
      (failure.method === 'GET' && failure.status === 404 && /^\/v1\/events\/[^/?]+\/speakers-call(\?|$)/.test(failure.path)) ||
      leftBehind(failure)
    );
  }

  /**
   * A read the browser cancelled (net::ERR_ABORTED) because the runner had seen what it waited for and
   * moved to the next page while the client was still loading extras (the page's counters, the optional
   * features the runner answers itself). Nobody waited for it, and it says nothing about the server: a
   * server that did not answer would have failed the step waiting for its text instead.
   */
  function leftBehind(failure: { method: string; path: string; status: number | string; detail: string }): boolean {
    // Reads only: GETs, and the ticket list's price quote (a POST that computes and stores nothing).
    const reads = failure.method === 'GET' || (failure.method === 'POST' && failure.path.startsWith('/v1/orders/calculate-amount'));
    return reads && failure.status === 'failed' && failure.detail.startsWith('net::ERR_ABORTED');
  }

  async function expectJourneysPass(frontend: string, api: string) {
    const run = await runJourneys({ frontend, api, journeys, stepTimeoutMs: STEP_TIMEOUT_MS, limitMs: RUN_LIMIT_MS });
    const message = `journeys.mjs --only ${journeys.join(',')} against ${frontend} (API ${api}):\n${run.output}`;
    expect(run.report, message).not.toBeNull();
    // Per journey: passed, and not one API request answered 4xx/5xx or refused by the browser (the
    // runner's report above says at which step and why).
    const outcome = run.report!.journeys.map((journey) => {
      const failing = journey.failingRequests.filter((failure) => !answeredAsOes(failure));
      return {
        name: journey.name,
        // The runner fails a journey on any 4xx; with only OES's own answers among them, its steps decide.
        status:
          failing.length === 0 && journey.failingRequests.length > 0 && journey.pageErrors.length === 0 && journey.steps.every((step) => step.ok)
            ? 'PASS'
            : journey.status,
        failingRequests: failing.map(
          (failure) => `${failure.method} ${failure.path.split('?')[0]} → ${failure.status} ${failure.detail} [${failure.step}]`,
        ),
      };
    });
    expect(outcome, message).toEqual(journeys.map((name) => ({ name, status: 'PASS', failingRequests: [] })));
    // 1 is "some journey failed" (judged above); 2 is "could not run at all".
    expect(run.exitCode, message).not.toBe(2);
  }

  for (const backend of backends) {
    describe(`openevent on ${backend}`, () => {
      let served: ServedClient;
      let server: RunningServer;
      let crossOrigin: RunningServer;

      beforeAll(async () => {
        served = await startOpeneventWithClient(backend, { crossOrigin: true });
        server = served.server;
        crossOrigin = served.crossOrigin!;
      }, 180_000);

      afterAll(() => served?.stop(), 60_000);

      it('serves the client from its own origin, whose first page reads /v1/settings across origins', async () => {
        const index = await (await fetch(crossOrigin.url + '/')).text();
        expect(index).toContain(encodeURIComponent(server.url));
        const answer = await firstPageReadsSettings(crossOrigin.url, server.url);
        expect(answer.allowOrigin).toBe(crossOrigin.url);
      }, 120_000);

      it('serves the client itself from FRONTEND_DIR, page paths included, and its first page reads /v1/settings', async () => {
        const eventPage = await fetch(`${server.url}/e/some-event`);
        expect(eventPage.status).toBe(200);
        const html = await eventPage.text();
        expect(html).toContain('open-event-frontend/config/environment');
        expect(html).toContain(encodeURIComponent(server.url));
        await firstPageReadsSettings(server.url, server.url);
      }, 120_000);

      it.skipIf(journeys.length === 0)(
        `journeys ${journeys.join(', ')} pass with the client on its own origin`,
        () => expectJourneysPass(crossOrigin.url, server.url),
        RUN_LIMIT_MS + 30_000,
      );

      it.skipIf(journeys.length === 0)(
        `journeys ${journeys.join(', ')} pass with the client served by openevent`,
        () => expectJourneysPass(server.url, server.url),
        RUN_LIMIT_MS + 30_000,
      );
    });
  }
});
