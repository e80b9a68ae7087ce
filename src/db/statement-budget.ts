import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { databaseTimeOfUnit } from './pglite-dialect.js';
import type { DB } from './tables.js';

/** A read ran out of its budget of database time before its next statement (see {@link withStatementBudget}). */
export class StatementBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`the read used its ${budgetMs} ms of database time`);
  }
}

/**
 * Gives one read of several statements (a marking search) a budget of database time: before each of its
 * statements, if the time it has used is above `budgetMs`, the statement is not run and
 * {@link StatementBudgetExceeded} is thrown, for the caller to turn into a problem that says how to narrow the
 * read. The time used is the database time of the current unit since the budget began (the embedded database's
 * scheduler counts it: the time this request held the one connection, not the time it waited for it), or the
 * time elapsed when there is no unit to count it (the CLI, PostgreSQL).
 *
 * This bounds the read, not a statement already running: the embedded database runs on the server's own
 * thread and does not honour `statement_timeout` (docs/benchmarks.md), so each statement of such a read must be
 * bounded by what it reads (limits on the rows each lookup scans).
 *
 * @example
 * const budgeted = withStatementBudget(db, 2000);
 * try { await search(budgeted); } catch (error) { if (error instanceof StatementBudgetExceeded) … }
 */
export function withStatementBudget(db: Kysely<DB>, budgetMs: number): Kysely<DB> {
  return db.withPlugin(new StatementBudgetPlugin(budgetMs));
}

class StatementBudgetPlugin implements KyselyPlugin {
  readonly #budgetMs: number;
  readonly #startedAt = performance.now();
  readonly #unitTimeAtStart = databaseTimeOfUnit();

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs;
  }

  #used(): number {
    const unitTime = databaseTimeOfUnit();
    // On PostgreSQL the unit's time stays 0: the time elapsed is what the read has taken there.
    if (this.#unitTimeAtStart === undefined || unitTime === undefined || unitTime === 0) {
      return performance.now() - this.#startedAt;
    }
    return unitTime - this.#unitTimeAtStart;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.#used() > this.#budgetMs) throw new StatementBudgetExceeded(this.#budgetMs);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
