// What a domain function throws when a request cannot be done. They say what is wrong in the user's
// words and, where one field is at fault, which; they know nothing of HTTP. The one error handler
// (http/jsonapi/plugin.ts) turns each kind into its status code and a JSON:API `errors` document, so
// routes never translate errors themselves.

/** Where in the request the problem is: an attribute or relationship of the body, or a query parameter. */
export type Field = { attribute: string } | { relationship: string } | { parameter: string } | { pointer: string };

export abstract class DomainError extends Error {
  readonly field: Field | undefined;
  constructor(message: string, field?: Field) {
    super(message);
    this.field = field;
  }
}

/** The request itself is malformed: a parameter that cannot be read at all, or names nothing (400). */
export class MalformedError extends DomainError {
  override name = 'MalformedError';
}

/** It does not exist, or the caller may not know that it does (404). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** The caller may see it but not do this (403). */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** The caller is not signed in, or their credentials no longer hold (401). */
export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
}

/** It clashes with what is there: a duplicate, a sold-out ticket, a state that forbids it (409). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** The input breaks a rule; several problems may be reported at once (422). */
export class InvalidError extends DomainError {
  override name = 'InvalidError';
  readonly problems: { message: string; field?: Field }[];
  constructor(message: string, field?: Field, more: { message: string; field?: Field }[] = []) {
    super(message, field);
    this.problems = [{ message, field }, ...more];
  }

  static many(problems: { message: string; field?: Field }[]): InvalidError {
    const [first, ...rest] = problems;
    return new InvalidError(first?.message ?? 'Invalid input', first?.field, rest);
  }
}

/** What was sent is larger than this server takes (413). */
export class TooLargeError extends DomainError {
  override name = 'TooLargeError';
}

/** Too many of these from this caller for now; try again after `retryAfterSeconds` (429). */
export class TooManyError extends DomainError {
  override name = 'TooManyError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** Something the request needs (the database) is away for now; try again shortly (503). */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
