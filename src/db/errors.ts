// Reading database errors the same way on PostgreSQL (node-postgres) and PGlite: both report the
// SQLSTATE and the constraint's name; Drizzle wraps them in a DrizzleQueryError whose cause they are.

/** SQLSTATEs of integrity violations a request can cause. */
const VIOLATIONS = new Set(['23505' /* unique */, '23514' /* check */, '23503' /* foreign key */]);

/** The name of the constraint the error violated, or null for any other error. */
export function violatedConstraint(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && VIOLATIONS.has(code)) return typeof constraint === 'string' ? constraint : null;
  }
  return null;
}

/**
 * SQLSTATEs that say the server went away or will not take us now, not that the statement was wrong:
 * 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, in recovery), 53300 too_many_connections (every slot taken);
 * the whole 08 class is connection exceptions.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a connection that was refused, cut or never answered. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * node-postgres reports some losses by message only: a socket closed under a query, a client reused
 * after its connection broke, and the pool's connectionTimeoutMillis (no connection in time).
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
];

/**
 * Whether the error says the database cannot be reached right now (as opposed to a failing statement):
 * the request may well succeed when tried again in a moment.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

/** SQLSTATE query_canceled: the statement timeout fired (or an operator cancelled the query). */
const QUERY_CANCELED = '57014';

/** Whether a query failed because it ran past the statement timeout (a Drizzle error or its cause). */
export function isStatementTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if ((current as { code?: unknown }).code === QUERY_CANCELED) return true;
  }
  return false;
}
