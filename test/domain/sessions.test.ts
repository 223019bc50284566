// Which tokens still stand for their user: the account's token version and logouts decide, and
// `openevent create-admin` ends old tokens only when it really changes the password.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { testDatabase, type TestDatabase } from '../support/app.ts';
import { tokenService } from '../../src/auth/tokens.ts';
import { createUser, ensureAdmin } from '../../src/domain/users.ts';
import { logOut, userForToken } from '../../src/domain/sessions.ts';

let database: TestDatabase;
const tokens = tokenService('a-secret-key-for-these-tests-only-000');
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function claimsFor(userId: number, version?: number) {
  return (await tokens.verify(await tokens.issue(userId, version)))!;
}

describe('userForToken', () => {
  it('finds the user of a current token, not of one logged out or of an older version', async () => {
    const db = database.connection.db;
    const user = await createUser(db, { email: 'sessions@example.org', password: 'password 1234' });
    const current = await claimsFor(user.id, user.tokenVersion);
    expect((await userForToken(db, current))?.id).toBe(user.id);
    expect(await userForToken(db, await claimsFor(user.id, user.tokenVersion + 1))).toBeNull();
    const other = await claimsFor(user.id, user.tokenVersion);
    await logOut(db, current);
    expect(await userForToken(db, current)).toBeNull();
    expect((await userForToken(db, other))?.id).toBe(user.id);
  });

  it('survives create-admin with the same password, not with a new one', async () => {
    const db = database.connection.db;
    const user = await createUser(db, { email: 'promoted@example.org', password: 'password 1234' });
    const token = await claimsFor(user.id, user.tokenVersion);
    await ensureAdmin(db, user.email, 'password 1234');
    expect((await userForToken(db, token))?.isAdmin).toBe(true);
    await ensureAdmin(db, user.email, 'another password');
    expect(await userForToken(db, token)).toBeNull();
  });
});
