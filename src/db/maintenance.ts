// Planner statistics and dead-row clean-up. PostgreSQL's autovacuum does this
// on a server, but only after a delay a bulk load outruns; the embedded
// database (PGlite) has no autovacuum at all, so without this every row that
// arrives through the app stays invisible to the planner and searches stay
// slow for good (issue 12).
import { sql, type Kysely } from 'kysely';
import { embeddedIdleMs } from './pglite-dialect.js';
import type { DB } from './tables.js';

/**
 * Refreshes the planner statistics of the tables a bulk load wrote, as the
 * load's last step (outside its transaction: ANALYZE there would see the rows
 * but publish nothing until commit, and the load is already committed).
 *
 * @example
 * await importRows(db, rows);
 * await analyzeTables(db, ['items', 'markings']);
 */
export async function analyzeTables(db: Kysely<DB>, tables: readonly (keyof DB)[]): Promise<void> {
  for (const table of tables) await sql`ANALYZE ${sql.table(table)}`.execute(db);
}

/** Which tables a maintenance pass analysed and which it vacuumed. */
export interface MaintenanceResult {
  analysed: string[];
  vacuumed: string[];
}

// PostgreSQL's defaults for autovacuum_vacuum_insert_threshold and _scale_factor.
const insertMinimumRows = 1000;
const insertFraction = 0.2;

interface TableActivity {
  table: string;
  live: number;
  dead: number;
  changedSinceAnalyse: number;
  insertedSinceVacuum: number;
  neverAnalysed: boolean;
}

/**
 * One pass of what autovacuum does, for the embedded database: analyses every
 * table with more than `fraction` of its rows changed since its last analysis
 * (or never analysed while holding rows), and vacuums every table whose dead
 * rows exceed `fraction` of its live ones (a refused import's rows, replaced
 * versions of edited records) or that received more than a fifth of its rows
 * by insertion since its last vacuum (PostgreSQL's insert threshold). Cheap when nothing changed: one read of
 * `pg_stat_user_tables`. Counts reach that view about a second after a write
 * commits.
 *
 * @example
 * const { analysed, vacuumed } = await maintainTables(db);
 */
export async function maintainTables(
  db: Kysely<DB>,
  options: {
    fraction?: number;
    minimumRows?: number;
    /**
     * A vacuum owed only to inserted rows waits until no request has used the database for this long (and the
     * table is analysed meanwhile if it needs it): right after a bulk import it would hold the embedded
     * database's one connection for seconds while users are at work, and nothing is wrong until it runs (the
     * import analysed the tables; the vacuum only spares index-only scans a visit to the table).
     */
    insertVacuumWhenIdleMs?: number;
  } = {},
): Promise<MaintenanceResult> {
  const fraction = options.fraction ?? 0.1;
  // As autovacuum's own threshold: a few changed rows in a small table are not worth a pass.
  const minimumRows = options.minimumRows ?? 50;
  const result = await sql<TableActivity>`
    SELECT s.relname AS "table",
           s.n_live_tup::float8 AS live,
           s.n_dead_tup::float8 AS dead,
           s.n_mod_since_analyze::float8 AS "changedSinceAnalyse",
           s.n_ins_since_vacuum::float8 AS "insertedSinceVacuum",
           (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AND c.reltuples < 0 AND c.relpages > 0) AS "neverAnalysed"
    FROM pg_stat_user_tables s
    JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname = current_schema()
    ORDER BY s.relname`.execute(db);
  const analysed: string[] = [];
  const vacuumed: string[] = [];
  for (const activity of result.rows) {
    const threshold = minimumRows + fraction * activity.live;
    // As PostgreSQL 13+ autovacuum does after inserts: marks the new rows all-visible, so index-only scans
    // (the marking search's key lookups) need not visit the table.
    const insertThreshold = insertMinimumRows + insertFraction * activity.live;
    const table = sql.table(activity.table);
    const insertVacuumDue =
      activity.insertedSinceVacuum > insertThreshold &&
      (options.insertVacuumWhenIdleMs === undefined || embeddedIdleMs() >= options.insertVacuumWhenIdleMs);
    if (activity.dead > threshold || insertVacuumDue) {
      // VACUUM ANALYZE: the clean-up and fresh statistics in one pass over the table.
      await sql`VACUUM (ANALYZE) ${table}`.execute(db);
      vacuumed.push(activity.table);
      analysed.push(activity.table);
    } else if (activity.neverAnalysed || activity.changedSinceAnalyse > threshold) {
      await sql`ANALYZE ${table}`.execute(db);
      analysed.push(activity.table);
    }
  }
  return { analysed, vacuumed };
}

/** A running maintenance loop; `stop()` waits for a pass in progress. */
export interface MaintenanceLoop {
  stop(): Promise<void>;
}

/**
 * Runs {@link maintainTables} now and then every `intervalMs` (one minute by
 * default) until stopped: the embedded database's autovacuum. Never two passes
 * at once; a failed pass is reported through `onError` and the next one runs
 * as planned.
 *
 * @example
 * const maintenance = startTableMaintenance(database.db, { onError: (e) => log.warn(e) });
 * // … on shutdown, before closing the database:
 * await maintenance.stop();
 */
export function startTableMaintenance(
  db: Kysely<DB>,
  options: {
    intervalMs?: number;
    /** See {@link maintainTables}; 30 seconds by default. */
    insertVacuumWhenIdleMs?: number;
    onPass?: (result: MaintenanceResult) => void;
    onError?: (error: unknown) => void;
  } = {},
): MaintenanceLoop {
  const intervalMs = options.intervalMs ?? 60_000;
  const insertVacuumWhenIdleMs = options.insertVacuumWhenIdleMs ?? 30_000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const result = await maintainTables(db, { insertVacuumWhenIdleMs });
        if (result.analysed.length > 0 || result.vacuumed.length > 0) options.onPass?.(result);
      } catch (error) {
        options.onError?.(error);
      }
    });
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  // The loop must not keep a CLI process alive by itself.
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
