// Which version of an event's schedule a feed request is about, without a database query per request:
// event rows are kept for a moment, and dropped as soon as the event changes. Changes arrive through
// the database (a trigger notifies on every update of an event, at commit) for every process; this
// process's own writes also mark the event "changing" before they commit, so its next read goes to
// the database until the notification confirms the commit — an edit shows in the very next fetch.
import type { Queryable } from '../db/connection.ts';
import { findEvent, type Event } from '../domain/access.ts';

/** The longest a cached row is used without hearing from the database: a floor for lost notifications. */
const TTL_MS = 1000;
/** A change announced but never confirmed (its transaction rolled back) stops bypassing the cache after this. */
const CHANGING_MS = 5000;

interface Entry {
  event: Event | null;
  at: number;
}

export class EventVersions {
  readonly #db: Queryable;
  readonly #entries = new Map<string, Entry>();
  readonly #changing = new Map<number, number>();

  constructor(db: Queryable) {
    this.#db = db;
  }

  async get(key: string): Promise<Event | null> {
    const normalized = key.toLowerCase();
    const now = Date.now();
    const cached = this.#entries.get(normalized);
    if (cached && now - cached.at < TTL_MS && !(cached.event && this.#isChanging(cached.event.id, now))) return cached.event;
    const event = await findEvent(this.#db, normalized);
    if (!(event && this.#isChanging(event.id, Date.now()))) {
      this.#entries.set(normalized, { event, at: now });
      if (this.#entries.size > 10_000) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return event;
  }

  /** This process is about to commit a change to the event. */
  changing(eventId: number): void {
    this.#changing.set(eventId, Date.now() + CHANGING_MS);
    this.#drop(eventId);
  }

  /** The database says the event changed (the change is committed). */
  changed(eventId: number): void {
    this.#changing.delete(eventId);
    this.#drop(eventId);
  }

  /** Notifications may have been missed: forget everything. */
  clear(): void {
    this.#entries.clear();
  }

  #isChanging(eventId: number, now: number): boolean {
    const until = this.#changing.get(eventId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#changing.delete(eventId);
    return false;
  }

  #drop(eventId: number): void {
    for (const [key, entry] of this.#entries) if (entry.event?.id === eventId) this.#entries.delete(key);
  }
}
