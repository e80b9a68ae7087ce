import fs from 'node:fs';
import net from 'node:net';
import { Writable } from 'node:stream';
import { routeRemoteOutput, type RemoteTerminal } from './invocation.js';
import {
  CLI_PROTOCOL_VERSION,
  cliRequestSchema,
  encodeFrame,
  FrameKind,
  FrameReader,
  MAX_OUTPUT_FRAME_BYTES,
  MAX_REQUEST_BYTES,
  socketPath,
  socketUnsupportedReason,
  type CliRequest,
} from './socket-protocol.js';

/** Runs one command for a socket client and returns its exit code. */
export type RemoteCommandRunner = (request: CliRequest, terminal: RemoteTerminal) => Promise<number>;

export interface CliSocketServer {
  readonly path: string;
  /** Stops taking commands, waits for those running to finish, removes the socket file. */
  close(): Promise<void>;
}

// A client that connects and sends nothing is dropped after this long (it holds a connection for nothing).
const REQUEST_TIMEOUT_MS = 30_000;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

function listenOwnerOnly(server: net.Server, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // The socket file is created by bind(2) inside listen(), with mode 0777 minus the umask. With 0177 it is
    // born 0600: no moment when another user could connect (connecting needs write permission on the file).
    const previous = process.umask(0o177);
    try {
      server.listen(file, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  });
}

/**
 * A command's stdout or stderr inside the server: each write becomes a frame
 * to the client, and waits while the socket is full (a slow client slows the
 * command's output instead of filling the server's memory).
 */
function frameStream(socket: net.Socket, kind: FrameKind, isTTY: boolean): Writable & { isTTY: boolean } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // The client is gone (Ctrl-C): the command runs to its end, unheard.
      if (socket.destroyed || !socket.writable) return callback();
      let flushed = true;
      for (let start = 0; start < chunk.byteLength; start += MAX_OUTPUT_FRAME_BYTES) {
        flushed = socket.write(encodeFrame(kind, chunk.subarray(start, start + MAX_OUTPUT_FRAME_BYTES))) && flushed;
      }
      if (flushed) return callback();
      const resume = () => {
        socket.off('drain', resume);
        socket.off('close', resume);
        callback();
      };
      socket.on('drain', resume);
      socket.on('close', resume);
    },
  });
  return Object.assign(stream, { isTTY });
}

function endStream(stream: Writable): Promise<void> {
  return new Promise((resolve) => stream.end(() => resolve()));
}

function serveConnection(socket: net.Socket, runCommand: RemoteCommandRunner): void {
  const reader = new FrameReader(MAX_REQUEST_BYTES);
  let started = false;
  const send = (kind: FrameKind, payload: Uint8Array) => {
    if (!socket.destroyed && socket.writable) socket.write(encodeFrame(kind, payload));
  };
  const finish = (code: number) => {
    if (!socket.destroyed && socket.writable)
      socket.end(encodeFrame(FrameKind.exit, Buffer.from(JSON.stringify({ code }))));
  };
  const refuse = (message: string, code: number) => {
    send(FrameKind.stderr, Buffer.from(`armtrace: ${message}\n`));
    finish(code);
  };
  const terminalOf = (request: CliRequest): RemoteTerminal => ({
    cwd: request.cwd,
    stdout: frameStream(socket, FrameKind.stdout, request.stdout_is_tty),
    stderr: frameStream(socket, FrameKind.stderr, request.stderr_is_tty),
  });

  // A client gone mid-command (Ctrl-C) is no error of the server's: the command runs to its end, unheard.
  socket.on('error', () => undefined);
  socket.setTimeout(REQUEST_TIMEOUT_MS, () => {
    if (!started) socket.destroy();
  });
  socket.on('data', (chunk: Buffer) => {
    if (started) return;
    let frames;
    try {
      frames = reader.push(chunk);
    } catch (error) {
      started = true;
      refuse((error as Error).message, EXIT_USAGE);
      return;
    }
    const first = frames[0];
    if (first === undefined) return;
    started = true;
    socket.setTimeout(0);
    if (first.kind !== FrameKind.request) return refuse('the first frame must be a request', EXIT_USAGE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(first.payload.toString('utf8'));
    } catch {
      return refuse('the request is not JSON', EXIT_USAGE);
    }
    const version = (parsed as { protocol?: unknown } | null)?.protocol;
    if (version !== CLI_PROTOCOL_VERSION) {
      return refuse(
        `the running server speaks CLI protocol ${CLI_PROTOCOL_VERSION}, this armtrace speaks ${String(version)}: ` +
          'use the armtrace that runs the server, or stop the server',
        EXIT_FAILURE,
      );
    }
    const request = cliRequestSchema.safeParse(parsed);
    if (!request.success) {
      return refuse(`the request is malformed (${request.error.issues[0]?.message ?? 'invalid'})`, EXIT_USAGE);
    }
    const terminal = terminalOf(request.data);
    runCommand(request.data, terminal)
      .then(async (code) => {
        // Everything the command wrote reaches the client before its exit code.
        await Promise.all([endStream(terminal.stdout), endStream(terminal.stderr)]);
        finish(code);
      })
      .catch((error: unknown) => refuse(`the command failed in the server: ${String(error)}`, EXIT_FAILURE));
  });
}

/**
 * Opens the CLI socket of a data directory whose lock the caller holds, so
 * `armtrace <command>` run beside the server reaches it instead of being
 * refused by the lock. The file is created with mode 0600 (only its owner, the
 * user running the server, and root can connect); a socket left by a crashed
 * server is removed first (holding the lock proves its server is gone).
 *
 * @returns the open socket, or why there is none (the server runs without it).
 * @example
 * const socket = await openCliSocket(config.dataDir, runRemoteCommand);
 * if ('unavailable' in socket) warn(socket.unavailable); else onStop(() => socket.close());
 */
export async function openCliSocket(
  dataDir: string,
  runCommand: RemoteCommandRunner,
): Promise<CliSocketServer | { unavailable: string }> {
  const unsupported = socketUnsupportedReason(dataDir);
  if (unsupported !== undefined) return { unavailable: unsupported };
  const file = socketPath(dataDir);
  const existing = fs.lstatSync(file, { throwIfNoEntry: false });
  if (existing !== undefined) {
    if (!existing.isSocket()) return { unavailable: `${file} exists and is not a socket; remove it` };
    fs.rmSync(file);
  }
  routeRemoteOutput();
  const server = net.createServer((socket) => serveConnection(socket, runCommand));
  try {
    await listenOwnerOnly(server, file);
  } catch (error) {
    // The server serves on without it (the CLI then meets the lock, as before), rather than failing to start.
    return { unavailable: `could not listen on ${file} (${(error as Error).message})` };
  }
  fs.chmodSync(file, 0o600);
  const stats = fs.statSync(file);
  if ((stats.mode & 0o777) !== 0o600 || (process.getuid !== undefined && stats.uid !== process.getuid())) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(file, { force: true });
    return { unavailable: `${file} could not be made private to this user (mode 0600)` };
  }
  return {
    path: file,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          fs.rmSync(file, { force: true });
          resolve();
        });
      }),
  };
}
