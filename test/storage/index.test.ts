import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedFiles } from '../../src/db/schema/index.ts';
import { createStorage } from '../../src/storage/index.ts';
import { testConfig, testDatabase, type TestDatabase } from '../support/app.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database?.drop());

describe('createStorage', () => {
  it('uses <DATA_DIR>/exports by default', async () => {
    const config = testConfig();
    expect(config.storage).toBe('local');
    await createStorage(config, database.connection).write('by-default.txt', ['x']);
    expect(existsSync(join(config.dataDir, 'exports', 'by-default.txt'))).toBe(true);
  });

  it('uses the database when STORAGE=database', async () => {
    const config = testConfig({ STORAGE: 'database' });
    const storage = createStorage(config, database.connection);
    await storage.write('in-database.txt', ['x']);
    const rows = await database.connection.db.select().from(storedFiles).where(eq(storedFiles.key, 'in-database.txt'));
    expect(rows).toHaveLength(1);
    expect(existsSync(join(config.dataDir, 'exports'))).toBe(false);
  });
});
