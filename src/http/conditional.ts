// Conditional GET (RFC 9110 §13), one implementation for the live feeds and the export downloads: the
// caller knows its validators (an ETag, maybe a Last-Modified) before it renders or opens anything, so a
// client whose copy is current gets its 304 without any of that work.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Validators {
  /** A strong entity tag, quotes included: `"abc"`. */
  etag: string;
  lastModified?: Date;
}

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/** The opaque part of an entity tag: what weak comparison compares. */
const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * Whether If-None-Match names the current representation: `*`, or any tag of the list by weak comparison
 * (`W/"x"` matches `"x"`, as RFC 9110 §13.1.2 asks for this header).
 */
export function noneMatchHolds(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const current = opaque(etag);
  return (header.match(ENTITY_TAG) ?? []).some((tag) => opaque(tag) === current);
}

/** Whole seconds: what an HTTP date can say. */
export function httpDateOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Whether the client's copy is current. If-None-Match decides when present; If-Modified-Since is read only
 * without it (§13.2.2), and only when it is a valid date.
 */
export function isFresh(headers: { 'if-none-match'?: string; 'if-modified-since'?: string }, validators: Validators): boolean {
  const noneMatch = headers['if-none-match'];
  if (noneMatch !== undefined) return noneMatchHolds(noneMatch, validators.etag);
  const since = headers['if-modified-since'];
  if (since === undefined || !validators.lastModified) return false;
  const sinceMs = Date.parse(since);
  return Number.isFinite(sinceMs) && httpDateOf(validators.lastModified).getTime() <= sinceMs;
}

/**
 * Puts the validators on the reply and says whether the request is answered with them alone: then the
 * reply is a 304 and the caller sends it empty, before rendering anything.
 */
export function answeredNotModified(request: FastifyRequest, reply: FastifyReply, validators: Validators): boolean {
  reply.header('etag', validators.etag);
  if (validators.lastModified) reply.header('last-modified', httpDateOf(validators.lastModified).toUTCString());
  const readOnly = request.method === 'GET' || request.method === 'HEAD';
  if (!readOnly || !isFresh(request.headers, validators)) return false;
  reply.code(304);
  return true;
}
