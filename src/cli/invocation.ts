import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';

/** Where a command's output goes when it runs inside `armtrace serve` for a CLI on the socket. */
export interface RemoteTerminal {
  /** The client's working directory: relative paths the user typed are resolved against it. */
  cwd: string;
  /** Whether the client's stderr is a terminal (progress bars are drawn only there). */
  stderrIsTTY: boolean;
  write(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
}

/** One run of the CLI program: its exit code, and when it runs in the server, the server's database and terminal. */
export interface CliInvocation {
  exitCode: number | undefined;
  /** Set when the command runs in-process in `armtrace serve` on behalf of a CLI on the socket. */
  remote?: { terminal: RemoteTerminal; database: Database; config: Config };
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

/** Whether progress may be drawn on the (local or remote) user's stderr. */
export function stderrIsTerminal(): boolean {
  const remote = invocations.getStore()?.remote;
  return remote === undefined ? process.stderr.isTTY : remote.terminal.stderrIsTTY;
}

let outputRouted = false;

/**
 * Sends what a command running for a socket client writes to
 * `process.stdout` / `process.stderr` to that client instead. Commands write
 * to the process streams directly (as a CLI does); inside the server only the
 * writes made within a remote invocation are diverted, every other write (the
 * server's own messages) goes where it always went. Installed once, by the
 * server that opens the socket.
 *
 * @example
 * routeRemoteOutput();
 * await runInvocation({ exitCode: undefined, remote }, () => program.parseAsync(argv, { from: 'user' }));
 */
export function routeRemoteOutput(): void {
  if (outputRouted) return;
  outputRouted = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    const routed = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
      const remote = invocations.getStore()?.remote;
      if (remote === undefined) return original(chunk, encodingOrCallback, callback);
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : 'utf8')
          : (chunk as Uint8Array);
      remote.terminal.write(name, bytes);
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as (error?: Error | null) => void)(null));
      // Always true: a pipe into process.stdout would otherwise wait for a 'drain' of the server's own stdout.
      return true;
    };
    stream.write = routed;
  }
}
