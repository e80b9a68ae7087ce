// A lost database connection (a failover, a restart): the process survives, the pool recovers, and a write in
// flight either commits or fails with database_unavailable / commit_outcome_unknown, never half.
// The connection-level cases end real backends with pg_terminate_backend, so they exist in the PostgreSQL pass
// (DATABASE_URL set; scripts/run-tests.mjs --database-pass reruns this file there); the embedded database has no
// connection to lose. The wrapper's decisions are checked on both.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { DomainError } from '../errors.js';
import { createTestWorld, type TestWorld } from '../testing/test-database.js';
import { isConnectionLoss, withConnectionLossReported } from './connection-loss.js';

function codeOf(error: unknown): string | undefined {
  return error instanceof DomainError ? error.code : undefined;
}

/** A pool client stand-in whose statements fail as the test says. */
function fakeClient(fail: (statement: string) => Error | undefined): { client: pg.PoolClient; sent: string[] } {
  const sent: string[] = [];
  const emitter = new EventEmitter();
  const client = Object.assign(emitter, {
    query(statement: string) {
      sent.push(statement);
      const error = fail(statement);
      return error === undefined
        ? Promise.resolve({ rows: [], command: 'SELECT', rowCount: 0 })
        : Promise.reject(error);
    },
    release() {},
  });
  return { client: client as unknown as pg.PoolClient, sent };
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isConnectionLoss', () => {
  it('knows a lost or refused connection from a refused statement', () => {
    assert.equal(isConnectionLoss(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isConnectionLoss(new Error('Client has encountered a connection error and is not queryable')), true);
    assert.equal(isConnectionLoss(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')), true);
    assert.equal(isConnectionLoss(withCode('terminating connection due to administrator command', '57P01')), true);
    assert.equal(isConnectionLoss(withCode('the database system is starting up', '57P03')), true);
    assert.equal(isConnectionLoss(withCode('cannot execute INSERT in a read-only transaction', '25006')), true);
    assert.equal(isConnectionLoss(withCode('duplicate key value violates unique constraint', '23505')), false);
    assert.equal(isConnectionLoss(withCode('canceling statement due to statement timeout', '57014')), false);
    assert.equal(isConnectionLoss(withCode('unsupported startup parameter: options', '08P01')), false);
    assert.equal(isConnectionLoss('Connection terminated'), false);
  });
});

describe('withConnectionLossReported', () => {
  it('reports a connection lost inside a transaction as database_unavailable, also for the ROLLBACK after it', async () => {
    const { client } = fakeClient((statement) =>
      statement.startsWith('insert') ? new Error('Connection terminated unexpectedly') : undefined,
    );
    const wrapped = withConnectionLossReported(client);
    await wrapped.query('begin', []);
    const lost = await wrapped.query('insert into sites values ($1)', [1]).catch((error: unknown) => error);
    assert.equal(codeOf(lost), 'database_unavailable');
    assert.match((lost as Error).message, /Nothing was saved/);
    await assert.rejects(wrapped.query('rollback', []), (error) => error === lost);
  });

  it('reports a connection lost during COMMIT as commit_outcome_unknown, and Kysely’s ROLLBACK after it says the same', async () => {
    const { client } = fakeClient((statement) =>
      statement === 'commit' ? new Error('Connection terminated unexpectedly') : undefined,
    );
    const wrapped = withConnectionLossReported(client);
    await wrapped.query('begin', []);
    await wrapped.query('insert into sites values ($1)', [1]);
    const lost = await wrapped.query('commit', []).catch((error: unknown) => error);
    assert.equal(codeOf(lost), 'commit_outcome_unknown');
    assert.match((lost as Error).message, /may or may not have been saved/);
    await assert.rejects(wrapped.query('rollback', []), (error) => error === lost);
  });

  it('reports a lone write outside a transaction as commit_outcome_unknown and a lone read as database_unavailable', async () => {
    const lose = () => withCode('terminating connection due to administrator command', '57P01');
    const write = await withConnectionLossReported(fakeClient(lose).client)
      .query('update sites set name = $1', ['x'])
      .catch((error: unknown) => error);
    assert.equal(codeOf(write), 'commit_outcome_unknown');
    const read = await withConnectionLossReported(fakeClient(lose).client)
      .query('select 1', [])
      .catch((error: unknown) => error);
    assert.equal(codeOf(read), 'database_unavailable');
  });

  it('passes other errors through unchanged and hears a dying idle client instead of crashing', async () => {
    const refusal = withCode('duplicate key value violates unique constraint', '23505');
    const { client } = fakeClient(() => refusal);
    const wrapped = withConnectionLossReported(client);
    await assert.rejects(wrapped.query('insert into sites values ($1)', [1]), (error) => error === refusal);
    assert.equal(withConnectionLossReported(client), wrapped);
    // An EventEmitter throws on an 'error' nobody listens to: that would end the server.
    client.emit('error', new Error('Connection terminated unexpectedly'));
  });
});

// On PostgreSQL: real backends ended by the server, as in a failover.
const onPostgres = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
if (onPostgres)
  describe('a PostgreSQL connection ended by the server', () => {
    let world: TestWorld;
    let admin: pg.Client;
    let cookie: string;

    before(async () => {
      world = await createTestWorld();
      admin = new pg.Client({ connectionString: world.test.url });
      await admin.connect();
      cookie = await world.cookieFor('owner');
    });
    after(async () => {
      await admin.end();
      await world.close();
    });

    async function countSites(): Promise<number> {
      const row = await world.db
        .selectFrom('sites')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    }

    async function countAudit(): Promise<number> {
      const result = await admin.query<{ count: string }>('SELECT count(*) AS count FROM audit_log');
      return Number(result.rows[0]!.count);
    }

    function createSite(name: string) {
      return world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/sites`,
        headers: { cookie },
        payload: { site_type: 'cache', name },
      });
    }

    /** Ends every other backend of this database (the pool's connections), as a primary going away does. */
    async function terminateOtherBackends(): Promise<number> {
      const result = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return result.rowCount ?? 0;
    }

    it('survives its idle connections being ended and answers the next request on a new one', async () => {
      assert.equal((await createSite('Before the restart')).statusCode, 201);
      assert.ok((await terminateOtherBackends()) > 0);
      // The pool hears the idle connections die ('error' events) without ending the process.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await createSite('After the restart');
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(await countSites(), 2);
    });

    it('refuses a write whose connection is ended mid-transaction with database_unavailable, and saves nothing of it', async () => {
      const sitesBefore = await countSites();
      const auditBefore = await countAudit();
      // The write waits for a lock held here, so its transaction is open when its backend is ended.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE sites IN EXCLUSIVE MODE');
      const pending = createSite('Cut off mid-transaction');
      let waiting: number | undefined;
      while (waiting === undefined) {
        const result = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        waiting = result.rows[0]?.pid;
        if (waiting === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin.query('SELECT pg_terminate_backend($1)', [waiting]);
      await admin.query('COMMIT');
      const response = await pending;
      assert.equal(response.statusCode, 503, response.body);
      assert.equal(response.headers['retry-after'], '5');
      const problem = response.json<{ code: string; detail: string }>();
      assert.equal(problem.code, 'database_unavailable');
      assert.match(problem.detail, /Nothing was saved/);
      assert.equal(await countSites(), sitesBefore, 'no site row of the refused write');
      assert.equal(await countAudit(), auditBefore, 'no audit entry of the refused write');
      const next = await createSite('Sent again');
      assert.equal(next.statusCode, 201, next.body);
      assert.equal(await countSites(), sitesBefore + 1);
      assert.equal(await countAudit(), auditBefore + 1);
    });

    it('says commit_outcome_unknown, never "saved" or "not saved", when the connection is ended during COMMIT', async () => {
      // A deferred constraint trigger runs at COMMIT: it waits there, and the backend is ended while it does.
      await admin.query(`
        CREATE TABLE commit_probe (id integer PRIMARY KEY);
        CREATE FUNCTION commit_probe_wait() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER commit_probe_wait AFTER INSERT ON commit_probe
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commit_probe_wait();`);
      const pending = world.db
        .transaction()
        .execute(async (trx) => {
          await sql`INSERT INTO commit_probe VALUES (1)`.execute(trx);
        })
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      let committing: number | undefined;
      while (committing === undefined) {
        const result = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'commit%' AND state = 'active'",
        );
        committing = result.rows[0]?.pid;
        if (committing === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin.query('SELECT pg_terminate_backend($1)', [committing]);
      const outcome = await pending;
      assert.equal(codeOf(outcome), 'commit_outcome_unknown');
      // Here the server had not written the commit record, so the row is not there: the client, told the
      // outcome is unknown, looks before sending it again.
      const rows = await admin.query('SELECT id FROM commit_probe');
      assert.equal(rows.rowCount, 0);
      await world.db.transaction().execute(async (trx) => {
        await sql`ALTER TABLE commit_probe DISABLE TRIGGER commit_probe_wait`.execute(trx);
        await sql`INSERT INTO commit_probe VALUES (1)`.execute(trx);
      });
      assert.equal((await admin.query('SELECT id FROM commit_probe')).rowCount, 1);
    });
  });
