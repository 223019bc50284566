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
