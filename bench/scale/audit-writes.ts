/**
 * What the one audit chain costs with several servers (issue 16, item 1): every write appends to the chain under
 * one transaction-scoped advisory lock (`pg_advisory_xact_lock`), so writes are serialised at that point whichever
 * server takes them. This measures audited writes per second through the HTTP API (item creations, each one
 * transaction with its audit entry) with one `armtrace serve` and then with two on the same PostgreSQL, the same
 * number of concurrent writers in both phases (spread over the servers in the second), and prints the ratio.
 * Loopback only; the database is a fresh one on DATABASE_URL (dropped afterwards). Ends with `armtrace verify`.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npx tsx bench/scale/audit-writes.ts
 *   … bench/scale/audit-writes.ts --writers 8 --seconds 15
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { INSTANCE_KEY_FILE } from '../../src/features/signing/instance-key.js';
import { armtraceCommand, createCliSandbox, succeeded } from '../../src/testing/cli.js';

const { values: options } = parseArgs({
  options: {
    writers: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '15' },
  },
});
const writers = Number(options.writers);
const seconds = Number(options.seconds);
if (process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '') {
  throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is made there for the run).');
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const [command, ...args] = await armtraceCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, 'serve', '--port', '0', '--no-example'], {
      env: { ...env, ARMTRACE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise((done) => child.on('exit', done));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const running = /armtrace is running at (\S+)\n/.exec(stderr);
      if (running !== null) resolve({ child, url: running[1]!, exited });
    });
    void exited.then(() => reject(new Error(`serve exited:\n${stderr}`)));
  });
}

const cli = await createCliSandbox('armtrace-bench-scale-');
const servers: Server[] = [];
try {
  const init = await cli.run('init');
  succeeded(init);
  const password = /one-time password:\n\n\s+(\S+)\n/.exec(init.stderr)?.[1] ?? '';
  for (const name of ['a', 'b']) {
    const dataDir = path.join(cli.root, name);
    fs.mkdirSync(dataDir);
    fs.copyFileSync(path.join(cli.env.ARMTRACE_DATA!, INSTANCE_KEY_FILE), path.join(dataDir, INSTANCE_KEY_FILE));
    servers.push(await startServer({ ...cli.env, ARMTRACE_DATA: dataDir }));
  }
  const signIn = await fetch(`${servers[0]!.url}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const cookie = signIn.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  const post = async (server: Server, url: string, body: unknown) => {
    const response = await fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`${response.status} ${text}`);
    return JSON.parse(text) as { id: string };
  };
  const investigation = await post(servers[0]!, '/api/v1/investigations', { title: 'Audit chain benchmark' });
  const site = await post(servers[0]!, `/api/v1/investigations/${investigation.id}/sites`, {
    site_type: 'cache',
    name: 'Depot',
  });

  /** Creates items without pause from `writers` clients for `seconds`, writer i on server i mod servers. */
  async function phase(over: Server[]): Promise<number> {
    const until = Date.now() + seconds * 1000;
    const counts = await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        let written = 0;
        while (Date.now() < until) {
          await post(over[writer % over.length]!, `/api/v1/investigations/${investigation.id}/items`, {
            id: uuidv7(),
            site_id: site.id,
            category: 'small_arm',
            observations: `writer ${writer}`,
          });
          written += 1;
        }
        return written;
      }),
    );
    return counts.reduce((sum, count) => sum + count, 0) / seconds;
  }

  await phase(servers); // warm-up (connections, plans), not counted
  const one = await phase(servers.slice(0, 1));
  const two = await phase(servers);
  const verify = succeeded(await cli.run('verify'));
  const result = {
    writers,
    seconds_per_phase: seconds,
    writes_per_second_one_server: Math.round(one * 10) / 10,
    writes_per_second_two_servers: Math.round(two * 10) / 10,
    ratio_two_to_one: Math.round((two / one) * 100) / 100,
    verify: verify.split('\n')[0]!.slice(0, 80),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await cli.close();
}
