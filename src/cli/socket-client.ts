import fs from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import {
  CLI_PROTOCOL_VERSION,
  encodeFrame,
  exitFrameSchema,
  FrameKind,
  FrameReader,
  MAX_OUTPUT_FRAME_BYTES,
  socketPath,
  socketUnsupportedReason,
  type CliRequest,
} from './socket-protocol.js';

const EXIT_FAILURE = 1;

/**
 * Sends a command to the `armtrace serve` that holds this data directory and
 * relays its output, returning its exit code; or returns undefined when no
 * server listens there (no socket file, a socket left by a crashed server, a
 * socket that is not this user's), so the command runs locally as before.
 *
 * @example
 * const code = await forwardToServer(config.dataDir, ['investigation', 'list', '--json']);
 * if (code === undefined) runLocally();
 */
export async function forwardToServer(dataDir: string, argv: string[]): Promise<number | undefined> {
  if (socketUnsupportedReason(dataDir) !== undefined) return undefined;
  const file = socketPath(dataDir);
  const stats = fs.lstatSync(file, { throwIfNoEntry: false });
  if (stats === undefined || !stats.isSocket()) return undefined;
  // Only the user who runs the server may use it (the kernel enforces it by the file's mode 0600); a socket of
  // another owner is not sent this user's command, whatever its mode.
  if (process.getuid !== undefined && stats.uid !== process.getuid()) return undefined;

  const request: CliRequest = {
    protocol: CLI_PROTOCOL_VERSION,
    argv,
    cwd: process.cwd(),
    stdout_is_tty: tty.isatty(1),
    stderr_is_tty: tty.isatty(2),
  };
  return new Promise<number | undefined>((resolve) => {
    const socket = net.createConnection(file);
    const reader = new FrameReader(MAX_OUTPUT_FRAME_BYTES);
    let connected = false;
    let exitCode: number | undefined;
    const fail = (message: string) => {
      if (exitCode === undefined) {
        process.stderr.write(`armtrace: ${message}\n`);
        exitCode = EXIT_FAILURE;
      }
      socket.destroy();
    };
    socket.on('connect', () => {
      connected = true;
      socket.write(encodeFrame(FrameKind.request, Buffer.from(JSON.stringify(request))));
    });
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (error) {
        fail(`the server sent a malformed answer (${(error as Error).message})`);
        return;
      }
      for (const frame of frames) {
        if (frame.kind === FrameKind.stdout) {
          // Keep pace with a slow reader of our stdout (a pager, a pipe) instead of buffering everything.
          if (!process.stdout.write(frame.payload)) {
            socket.pause();
            process.stdout.once('drain', () => socket.resume());
          }
        } else if (frame.kind === FrameKind.stderr) {
          process.stderr.write(frame.payload);
        } else if (frame.kind === FrameKind.exit) {
          const parsed = exitFrameSchema.safeParse(JSON.parse(frame.payload.toString('utf8')));
          exitCode = parsed.success ? parsed.data.code : EXIT_FAILURE;
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Nobody listens (a server that crashed left its socket): run locally, where the lock decides.
      if (!connected) resolve(undefined);
      else fail(`lost the connection to the running server (${error.message})`);
    });
    socket.on('close', () => {
      if (!connected) return;
      if (exitCode === undefined) {
        process.stderr.write(
          'armtrace: the server closed the connection before the command finished (was it stopped?); ' +
            'check whether the command took effect before running it again\n',
        );
        exitCode = EXIT_FAILURE;
      }
      resolve(exitCode);
    });
  });
}
