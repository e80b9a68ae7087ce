// src/db/tables.ts is written by hand beside the migrations; this keeps the two in step. The TypeScript
// compiler reads the `DB` interface (each table's selected row type), the migrated database reports its columns,
// and the two must name the same tables and columns with the same nullability, on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import ts from 'typescript';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

/** table → column → nullable, as declared in tables.ts (what a select returns); `undefined` for `unknown` (JSON). */
type Declared = Map<string, Map<string, boolean | undefined>>;

function declaredTables(): Declared {
  const tablesFile = path.join(import.meta.dirname, 'tables.ts');
  // A probe module beside tables.ts, so the checker evaluates Kysely's Selectable<> for every table.
  const probeFile = path.join(import.meta.dirname, '__tables_probe__.ts');
  const probeSource = `import type { DB, Row } from './tables.js';\nexport type Rows = { [T in keyof DB]: Row<T> };\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === probeFile ? probeSource : readFile(file));
  host.fileExists = (file) => file === probeFile || fileExists(file);
  host.getSourceFile = (file, language, onError, create) =>
    file === probeFile
      ? ts.createSourceFile(file, probeSource, language, true)
      : getSourceFile(file, language, onError, create);
  const program = ts.createProgram([probeFile, tablesFile], options, host);
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(probeFile);
  assert.ok(probe !== undefined, 'the probe module compiles');
  const rowsSymbol = checker.getExportsOfModule(checker.getSymbolAtLocation(probe)!).find((s) => s.name === 'Rows');
  assert.ok(rowsSymbol !== undefined, 'the probe exports Rows');
  const rows = checker.getDeclaredTypeOfSymbol(rowsSymbol);
  const declared: Declared = new Map();
  for (const table of checker.getPropertiesOfType(rows)) {
    const columns = new Map<string, boolean | undefined>();
    const rowType = checker.getTypeOfSymbol(table);
    for (const column of checker.getPropertiesOfType(rowType)) {
      const type = checker.getTypeOfSymbol(column);
      const parts = type.isUnion() ? type.types : [type];
      // A JSON column is read as `unknown`, which holds null as well as anything else.
      const untyped = parts.some((part) => (part.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) !== 0);
      columns.set(column.name, untyped ? undefined : parts.some((part) => (part.flags & ts.TypeFlags.Null) !== 0));
    }
    declared.set(table.name, columns);
  }
  return declared;
}

async function migratedTables(test: TestDatabase): Promise<Declared> {
  const result = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
    SELECT c.table_name, c.column_name, c.is_nullable
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name, c.ordinal_position`.execute(test.db);
  const tables: Declared = new Map();
  for (const row of result.rows) {
    const columns = tables.get(row.table_name) ?? new Map<string, boolean | undefined>();
    columns.set(row.column_name, row.is_nullable === 'YES');
    tables.set(row.table_name, columns);
  }
  return tables;
}

describe('src/db/tables.ts against the migrated schema', () => {
  let test: TestDatabase;
  let declared: Declared;
  before(async () => {
    test = await createTestDatabase();
    declared = declaredTables();
  });
  after(() => test.close());

  it('declares every table the migrations create, and no other', async () => {
    const migrated = await migratedTables(test);
    assert.deepEqual([...declared.keys()].sort(), [...migrated.keys()].sort());
  });

  it('declares every column of each table, with the nullability the database gives it', async () => {
    const migrated = await migratedTables(test);
    const differences: string[] = [];
    for (const [table, columns] of migrated) {
      const declaredColumns = declared.get(table);
      if (declaredColumns === undefined) continue;
      for (const [column, nullable] of columns) {
        const declaredNullable = declaredColumns.get(column);
        if (!declaredColumns.has(column)) differences.push(`${table}.${column} is not declared in tables.ts`);
        else if (declaredNullable !== undefined && declaredNullable !== nullable)
          differences.push(
            `${table}.${column} is ${nullable ? 'nullable' : 'NOT NULL'} in the database but ` +
              `${declaredNullable ? 'nullable' : 'not nullable'} in tables.ts`,
          );
      }
      for (const column of declaredColumns.keys())
        if (!columns.has(column)) differences.push(`${table}.${column} is declared in tables.ts but not migrated`);
    }
    assert.deepEqual(differences, []);
  });
});
