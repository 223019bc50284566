// What makes every /v1 route speak JSON:API: request bodies parsed (and cleaned) as JSON, answers
// typed application/vnd.api+json, and every error — ours, Fastify's, the validator's — turned into an
// `errors` document with the right status. Nothing thrown ever reaches a client as a stack trace.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorDocument, titleFor, type ErrorObject } from './errors.ts';
import { MEDIA_TYPE } from './document.ts';
import { registerIgnoredMembers } from './ignored-members.ts';
import { cleanText } from '../../domain/text.ts';
import { isDatabaseUnavailable, isStatementTimeout } from '../../db/errors.ts';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidError,
  MalformedError,
  NotFoundError,
  TooLargeError,
  TooManyError,
  UnauthenticatedError,
  UnavailableError,
  type Field,
} from '../../domain/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer plain `application/json` instead of JSON:API (OES does so for login and tasks). */
    plainJson?: boolean;
    /**
     * The route takes no body: an empty one is no body even when a Content-Type says JSON (OES's
     * client sends its JSON:API headers on every POST, `POST /v1/orders/{identifier}/verify` too).
     */
    bodyless?: boolean;
  }
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A JSON pointer into the request body for one validator complaint. */
function pointerOf(issue: ValidationIssue): string {
  if (issue.keyword === 'additionalProperties') {
    return `${issue.instancePath}/${String(issue.params.additionalProperty)}`;
  }
  if (issue.keyword === 'required') return `${issue.instancePath}/${String(issue.params.missingProperty)}`;
  return issue.instancePath || '/';
}

function describe(issue: ValidationIssue, pointer: string): string {
  const name = pointer.split('/').pop() || 'body';
  switch (issue.keyword) {
    case 'additionalProperties':
      return `Unknown field "${name}"`;
    case 'required':
      return `"${name}" is required`;
    case 'type':
      return `"${name}" must be ${String(issue.params.type).replace(',', ' or ')}`;
    case 'maxLength':
    case 'minLength':
    case 'pattern':
    case 'format':
    case 'enum':
    case 'const':
    case 'minimum':
    case 'maximum':
    case 'anyOf':
      return `"${name}" ${issue.message ?? 'is invalid'}`;
    default:
      return `"${name}" ${issue.message ?? 'is invalid'}`;
  }
}

function validationErrors(error: FastifyError): { status: number; errors: ErrorObject[] } {
  const issues = (error.validation ?? []) as ValidationIssue[];
  const context = error.validationContext;
  // An id in the path that cannot exist (not a number, say) is simply not found.
  if (context === 'params') return { status: 404, errors: [objectFor(404, 'Not found')] };
  if (context === 'body') {
    return {
      status: 422,
      errors: issues.map((issue) => {
        const pointer = pointerOf(issue);
        return { ...objectFor(422, describe(issue, pointer)), source: { pointer } };
      }),
    };
  }
  return {
    status: 422,
    errors: issues.map((issue) => ({
      ...objectFor(422, `${context ?? 'request'}${issue.instancePath} ${issue.message ?? 'is invalid'}`),
      source: { parameter: pointerOf(issue).slice(1) },
    })),
  };
}

function sourceOf(field: Field | undefined): ErrorObject['source'] {
  if (!field) return undefined;
  if ('attribute' in field) return { pointer: `/data/attributes/${field.attribute}` };
  if ('relationship' in field) return { pointer: `/data/relationships/${field.relationship}` };
  if ('parameter' in field) return { parameter: field.parameter };
  return { pointer: field.pointer };
}

/** The one place where a domain error becomes an HTTP status, headers and error objects. */
function domainErrorReply(error: DomainError): { status: number; errors: ErrorObject[]; headers: Record<string, string> } {
  const one = (status: number, headers: Record<string, string> = {}) => {
    const source = sourceOf(error.field);
    return { status, headers, errors: [{ ...objectFor(status, error.message), ...(source ? { source } : {}) }] };
  };
  if (error instanceof InvalidError) {
    return {
      status: 422,
      headers: {},
      errors: error.problems.map((problem) => {
        const source = sourceOf(problem.field);
        return { ...objectFor(422, problem.message), ...(source ? { source } : {}) };
      }),
    };
  }
  if (error instanceof MalformedError) return one(400);
  if (error instanceof NotFoundError) return one(404);
  if (error instanceof ForbiddenError) return one(403);
  if (error instanceof UnauthenticatedError) return one(401, { 'www-authenticate': 'JWT realm="openevent"' });
  if (error instanceof ConflictError) return one(409);
  if (error instanceof TooLargeError) return one(413);
  if (error instanceof TooManyError) return one(429, { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof UnavailableError) return one(503, { 'retry-after': String(error.retryAfterSeconds) });
  return one(500);
}

function objectFor(status: number, detail: string): ErrorObject {
  return { status: String(status), title: titleFor(status), detail };
}

/** Fastify's own errors that are the client's fault, with what to tell them. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The request body is empty but its Content-Type says JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send the body as application/vnd.api+json or application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body'],
};

/** Seconds a client is asked to wait when the database is away: about how long a restart or failover takes. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export function errorReply(error: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (isDatabaseUnavailable(error)) {
    // Not the request's fault and not a bug: the database went away (restart, failover, network).
    request.log.warn({ err: error }, 'database unavailable');
    error = new UnavailableError('The database is unavailable right now; try again shortly', DATABASE_RETRY_AFTER_SECONDS);
  } else if (isStatementTimeout(error)) {
    request.log.warn({ err: error }, 'statement timeout');
    error = new UnavailableError('The database took too long to answer this request; try again shortly');
  }
  let status: number;
  let errors: ErrorObject[];
  if (error instanceof ApiError) {
    status = error.status;
    errors = error.errors;
    reply.headers(error.headers);
  } else if (error instanceof DomainError) {
    const mapped = domainErrorReply(error);
    ({ status, errors } = mapped);
    reply.headers(mapped.headers);
  } else if ((error as FastifyError).validation) {
    ({ status, errors } = validationErrors(error as FastifyError));
  } else {
    const code = (error as FastifyError).code;
    const known = code ? CLIENT_ERRORS[code] : undefined;
    const statusCode = (error as FastifyError).statusCode;
    if (known) {
      [status] = known;
      errors = [objectFor(status, known[1])];
    } else if (error instanceof SyntaxError && statusCode === 400) {
      status = 400;
      errors = [objectFor(400, 'The request body is not valid JSON')];
    } else if (statusCode && statusCode >= 400 && statusCode < 500) {
      status = statusCode;
      errors = [objectFor(status, error.message)];
    } else {
      status = 500;
      errors = [objectFor(500, 'Something went wrong on our side; it has been logged')];
      request.log.error({ err: error }, 'unhandled error');
    }
  }
  return reply.code(status).type(MEDIA_TYPE).send(errorDocument(errors));
}

/** The largest id: every numeric id in a path is a PostgreSQL `integer`. */
const LARGEST_ID = 2_147_483_647;

/**
 * A path value holding what no stored text can hold (NUL, other control characters, a lone surrogate),
 * or a number no id can be, names nothing: 404 before any route takes it to the database, which would
 * refuse it with a 500. Query values get the cleaning bodies get.
 */
function cleanPathAndQuery(request: FastifyRequest): void {
  for (const value of Object.values((request.params ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    if (cleanText(value) !== value) throw new NotFoundError('Nothing here: the path holds a control character');
    if (/^\d+$/.test(value) && Number(value) > LARGEST_ID) throw new NotFoundError('Nothing here: no id is that large');
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (!query || typeof query !== 'object') return;
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') query[name] = cleanText(value);
    else if (Array.isArray(value)) query[name] = value.map((item) => (typeof item === 'string' ? cleanText(item) : item));
  }
}

/** Removes what no field may hold (see domain/text.ts) from every string of a JSON body as it is parsed. */
function parseJson(body: string): unknown {
  return JSON.parse(body, (_key, value) => (typeof value === 'string' ? cleanText(value) : value));
}

export const jsonApiPlugin = fp(async function jsonApi(app: FastifyInstance) {
  // Only JSON bodies: anything else (text/plain, forms) is a 415, not a string that fails validation.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', MEDIA_TYPE],
    { parseAs: 'string' },
    (request, body, done) => {
      if ((body as string).length === 0 && request.routeOptions.config?.bodyless) {
        done(null, undefined);
        return;
      }
      if ((body as string).length === 0) {
        done(Object.assign(new Error('empty body'), { code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 }), undefined);
        return;
      }
      try {
        done(null, parseJson(body as string));
      } catch {
        done(Object.assign(new Error('invalid JSON'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }), undefined);
      }
    },
  );

  app.addHook('preValidation', (request, _reply, done) => {
    try {
      cleanPathAndQuery(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  registerIgnoredMembers(app);

  app.setErrorHandler((error, request, reply) => errorReply(error as FastifyError, request, reply));
  app.setNotFoundHandler((request, reply) =>
    errorReply(new ApiError(404, `No route ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );

  app.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (
      request.url.startsWith('/v1/') &&
      typeof type === 'string' &&
      type.startsWith('application/json') &&
      !request.routeOptions.config?.plainJson
    ) {
      reply.type(MEDIA_TYPE);
    }
    done(null, payload);
  });
});
