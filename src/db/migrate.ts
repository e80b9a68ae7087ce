import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

// src/db and dist/db sit at the same depth, so one relative path serves both.
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

function listMigrations(): { name: string; script: string; checksum: string }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const script = fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
      return { name, script, checksum: createHash('sha256').update(script).digest('hex') };
    });
}

/**
 * Applies the ordered SQL migrations that are not applied yet, each in its own
 * transaction. Refuses to run when an applied migration's file has changed,
 * because the schema would no longer be what the file says.
 */
export async function migrate(database: Database): Promise<MigrationResult> {
  await database.execScript(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const applied = new Map(
    (await database.db.selectFrom('schema_migrations').select(['name', 'checksum']).execute()).map((row) => [
      row.name,
      row.checksum,
    ]),
  );
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  for (const migration of listMigrations()) {
    const recorded = applied.get(migration.name);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new Error(
          `Migration ${migration.name} was changed after it was applied; add a new migration instead of editing it.`,
        );
      }
      result.alreadyApplied.push(migration.name);
      continue;
    }
    try {
      await database.execScript(
        `BEGIN;\n${migration.script}\n;INSERT INTO schema_migrations (name, checksum) VALUES ('${migration.name}', '${migration.checksum}');\nCOMMIT;`,
      );
    } catch (error) {
      await database.execScript('ROLLBACK').catch(() => undefined);
      throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    result.applied.push(migration.name);
  }
  return result;
}
