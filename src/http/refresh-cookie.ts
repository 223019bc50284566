// The remember-me refresh token as a browser keeps it, the way OES (flask-jwt-extended) sets it: an
// HttpOnly cookie scripts cannot read, sent only to /v1/auth (refresh and logout), and beside it a
// readable `csrf_refresh_token` that the page copies into X-CSRF-Token. A cross-site page cannot read
// that value, so it cannot refresh with the cookie the browser would attach (double submit).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedRefreshToken } from '../auth/tokens.ts';
import type { Config } from '../config.ts';

export const REFRESH_COOKIE = 'refresh_token_cookie';
export const CSRF_COOKIE = 'csrf_refresh_token';
const REFRESH_PATH = '/v1/auth';

function options(config: Config) {
  return {
    // Over https the cookie never travels in clear; a plain-http PUBLIC_URL is a development setup.
    secure: config.publicUrl.startsWith('https:'),
    sameSite: 'strict' as const,
  };
}

export function setRefreshCookies(reply: FastifyReply, config: Config, refresh: IssuedRefreshToken) {
  const expires = refresh.expiresAt;
  reply.setCookie(REFRESH_COOKIE, refresh.token, { ...options(config), httpOnly: true, path: REFRESH_PATH, expires });
  reply.setCookie(CSRF_COOKIE, refresh.csrf, { ...options(config), httpOnly: false, path: '/', expires });
}

export function clearRefreshCookies(reply: FastifyReply, config: Config) {
  reply.clearCookie(REFRESH_COOKIE, { ...options(config), httpOnly: true, path: REFRESH_PATH });
  reply.clearCookie(CSRF_COOKIE, { ...options(config), httpOnly: false, path: '/' });
}

export function refreshCookieOf(request: FastifyRequest): string | null {
  return request.cookies[REFRESH_COOKIE] || null;
}
