import { AsyncLocalStorage } from 'node:async_hooks';
import type { Writable } from 'node:stream';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/index.js';
import type { EvidenceStore } from '../storage/evidence-store.js';

/** The terminal of a CLI whose command runs inside `armtrace serve`: its directory and its output streams. */
export interface RemoteTerminal {
  /** The client's working directory: relative paths the user typed are resolved against it. */
  cwd: string;
  /** What the command writes to `process.stdout` / `process.stderr`, sent to the client (`isTTY` as there). */
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

/** One run of the CLI program: its exit code, and when it runs in the server, the server's database and terminal. */
export interface CliInvocation {
  exitCode: number | undefined;
  /** Set when the command runs in-process in `armtrace serve` on behalf of a CLI on the socket. */
  remote?: { terminal: RemoteTerminal; database: Database; config: Config; store: EvidenceStore; jobs: JobQueue };
}

const invocations = new AsyncLocalStorage<CliInvocation>();

/**
 * Runs one CLI invocation; everything it awaits sees the same invocation, so
 * two commands the server runs at once keep their exit codes and output apart.
 *
 * @example
 * const invocation: CliInvocation = { exitCode: undefined };
 * await runInvocation(invocation, () => program.parseAsync(argv, { from: 'user' }));
 * return invocation.exitCode ?? 0;
 */
export function runInvocation<T>(invocation: CliInvocation, run: () => Promise<T>): Promise<T> {
  return invocations.run(invocation, run);
}

/** The invocation the calling command belongs to, if any. */
export function currentInvocation(): CliInvocation | undefined {
  return invocations.getStore();
}

/**
 * Sets the exit code of the running command. Commands call this instead of
 * assigning `process.exitCode`, which inside the server would be the
 * server's own exit code, shared by every command it runs.
 *
 * @example
 * if (!result.ok) setExitCode(1);
 */
export function setExitCode(code: number): void {
  const invocation = invocations.getStore();
  if (invocation === undefined) process.exitCode = code;
  else invocation.exitCode = code;
}

let outputRouted = false;

/**
 * Makes `process.stdout` and `process.stderr` be, for a command running for a
 * socket client, that client's streams. Commands write to the process streams
 * (as a CLI does), also by piping into them; inside the server each remote
 * invocation sees its own pair (with back-pressure from the socket), and
 * everything else (the server's own messages) sees the real ones. Installed
 * once, by the server that opens the socket.
 *
 * @example
 * routeRemoteOutput();
 * await runInvocation({ exitCode: undefined, remote }, () => program.parseAsync(argv, { from: 'user' }));
 */
export function routeRemoteOutput(): void {
  if (outputRouted) return;
  outputRouted = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const real = Object.getOwnPropertyDescriptor(process, name);
    if (real?.get === undefined) throw new Error(`process.${name} is not a getter; cannot route remote output`);
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get(): unknown {
        return invocations.getStore()?.remote?.terminal[name] ?? real.get?.call(process);
      },
    });
  }
}
