// Which database errors mean "the database is away, try again" (a 503) and which are the statement's
// own failure: the shapes node-postgres and Drizzle give them, as they reach the error handler. The
// real faults are in test/e2e/database-faults.test.ts; this pins the cases a fault test cannot stage.
import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pg from 'pg';
import { isDatabaseUnavailable, violatedConstraint } from '../../src/db/errors.ts';

/** A server error as node-postgres reports it, wrapped by Drizzle as a failed query. */
function serverError(code: string, message = 'server says no'): Error {
  const error = new pg.DatabaseError(message, 0, 'error');
  error.code = code;
  return new DrizzleQueryError('select 1', [], error);
}

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -1, syscall: 'connect' });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['57P01', 'terminated by an administrator (pg_terminate_backend)'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'the server is starting up'],
    ['53300', 'every connection slot is taken'],
    ['08006', 'connection failure'],
    ['08001', 'could not establish a connection'],
  ])('is true for SQLSTATE %s (%s)', (code) => {
    expect(isDatabaseUnavailable(serverError(code))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])('is true for a socket %s, bare or wrapped', (code) => {
    expect(isDatabaseUnavailable(socketError(code))).toBe(true);
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], socketError(code)))).toBe(true);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
  ])('is true for node-postgres saying "%s"', (message) => {
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], new Error(message)))).toBe(true);
  });

  it.each([
    ['23505', 'a unique violation'],
    ['57014', 'a statement cancelled by statement_timeout'],
    ['22P02', 'invalid input'],
    ['42P01', 'an unknown table'],
    ['40001', 'a serialization failure'],
  ])('is false for SQLSTATE %s (%s): the statement failed, not the connection', (code) => {
    expect(isDatabaseUnavailable(serverError(code))).toBe(false);
  });

  it('is false for errors that are not the database’s', () => {
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('keeps integrity violations apart', () => {
    const unique = serverError('23505');
    (unique.cause as pg.DatabaseError).constraint = 'users_email';
    expect(violatedConstraint(unique)).toBe('users_email');
    expect(violatedConstraint(serverError('57P01'))).toBeNull();
  });
});
