// Security headers on everything we serve (issue 11 item 14): API answers allow nothing to run or
// frame them, /docs gets a CSP under which swagger-ui still loads, and the feeds keep their caching
// headers, revalidation and CORS.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, type TestApp, type TestResponse } from '../support/app.ts';
import { createPublishedEvent, quickUser } from '../support/schedule.ts';

let t: TestApp;
const ORIGIN = 'https://client.example.org';
beforeAll(async () => {
  t = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
});

/** The CSP as directive → sources. */
function policy(response: TestResponse): Record<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

function expectCommonHeaders(response: TestResponse) {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(policy(response)['frame-ancestors']).toEqual(["'none'"]);
}

describe('security headers', () => {
  it('on API answers, errors included: nothing may load, run or frame', async () => {
    for (const url of ['/v1/events', '/v1/users/me', '/v1/no-such-thing']) {
      const response = await t.request({ method: 'GET', url });
      expectCommonHeaders(response);
      expect(policy(response)['default-src']).toEqual(["'none'"]);
    }
  });

  it('leave CORS working for the configured origins', async () => {
    const preflight = await t.request({
      method: 'OPTIONS',
      url: '/v1/events',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    const read = await t.request({ method: 'GET', url: '/v1/events', headers: { origin: ORIGIN } });
    expect(read.headers['access-control-allow-origin']).toBe(ORIGIN);
    // A resource policy of same-origin would stop browsers loading public feeds and downloads elsewhere.
    expect(read.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('on a feed, beside its caching headers and revalidation', async () => {
    const owner = await quickUser(t);
    const event = await createPublishedEvent(t, owner.token, { name: 'Headers Fest', 'schedule-published-on': '2026-01-01T00:00:00Z' });
    const url = `/v1/events/${event.attributes.identifier}.ics`;
    const feed = await t.request({ method: 'GET', url, headers: { origin: ORIGIN } });
    expect(feed.status).toBe(200);
    expectCommonHeaders(feed);
    expect(feed.headers['cache-control']).toBe('public, max-age=300');
    expect(feed.headers['access-control-allow-origin']).toBe(ORIGIN);
    const again = await t.request({ method: 'GET', url, headers: { 'if-none-match': String(feed.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.headers['cache-control']).toBe('public, max-age=300');
  });

  it('on /docs: a CSP under which swagger-ui loads all it needs from us', async () => {
    const page = await t.request({ method: 'GET', url: '/docs/' });
    expect(page.status).toBe(200);
    expectCommonHeaders(page);
    const csp = policy(page);
    expect(csp['script-src']).toContain("'self'");
    expect(csp['style-src']).toContain("'self'");
    // Upgrading requests to https would break the docs of a server reached over plain http.
    expect(csp).not.toHaveProperty('upgrade-insecure-requests');
    // No inline script (the CSP would block it): every script and stylesheet is one of ours, and there.
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((attributes) => /\bsrc=/.test(attributes))).toBe(true);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, 'http://localhost/docs/').pathname);
    for (const asset of assets) {
      const response = await t.request({ method: 'GET', url: asset });
      expect(response.status, asset).toBe(200);
    }
    const initializer = await t.request({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.status).toBe(200);
    expect(initializer.headers['x-content-type-options']).toBe('nosniff');
  });
});
