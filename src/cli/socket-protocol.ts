import path from 'node:path';
import { z } from 'zod';

/**
 * The CLI socket: how `armtrace <command>` reaches a running `armtrace serve`
 * that holds the embedded database's data directory.
 *
 * One request per connection. Both sides send frames: one byte of kind, four
 * bytes of payload length (big-endian), the payload. The client sends one
 * `request` frame (JSON, at most {@link MAX_REQUEST_BYTES}); the server answers
 * with `stdout` and `stderr` frames (raw bytes, as the command wrote them) and
 * ends with one `exit` frame (JSON `{ "code": n }`), then closes.
 */
export const CLI_PROTOCOL_VERSION = 1;

/** The socket's file name in the data directory (beside `armtrace.lock`). */
export const SOCKET_FILE = 'armtrace.sock';

export const MAX_REQUEST_BYTES = 1024 * 1024;
/** Output is sent in frames of at most this size; a client refuses larger ones. */
export const MAX_OUTPUT_FRAME_BYTES = 1024 * 1024;

export const FrameKind = { request: 1, stdout: 2, stderr: 3, exit: 4 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const HEADER_BYTES = 5;

export const cliRequestSchema = z.object({
  protocol: z.number().int(),
  argv: z.array(z.string().max(64 * 1024)).max(10_000),
  cwd: z.string().refine((value) => path.isAbsolute(value), 'must be an absolute path'),
  stdout_is_tty: z.boolean(),
  stderr_is_tty: z.boolean(),
});
export type CliRequest = z.infer<typeof cliRequestSchema>;

export const exitFrameSchema = z.object({ code: z.number().int().min(0).max(255) });

/** The socket path of a data directory. */
export function socketPath(dataDir: string): string {
  return path.join(dataDir, SOCKET_FILE);
}

/**
 * Why a Unix socket cannot be used for this data directory, or undefined when
 * it can: Windows has no socket files with a file mode, and a socket path is
 * limited to 107 bytes on Linux (103 on macOS and the BSDs).
 */
export function socketUnsupportedReason(dataDir: string): string | undefined {
  if (process.platform === 'win32') return 'Windows has no Unix socket files guarded by a file mode';
  const limit = process.platform === 'linux' ? 107 : 103;
  const length = Buffer.byteLength(socketPath(dataDir));
  if (length > limit) {
    return `the socket path ${socketPath(dataDir)} is ${length} bytes, longer than the ${limit} a Unix socket allows`;
  }
  return undefined;
}

/**
 * One frame on the wire.
 *
 * @example
 * socket.write(encodeFrame(FrameKind.exit, Buffer.from(JSON.stringify({ code: 0 }))));
 */
export function encodeFrame(kind: FrameKind, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(kind, 0);
  header.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([header, payload]);
}

export class FrameError extends Error {
  override name = 'FrameError';
}

/**
 * Cuts a byte stream into frames, refusing any frame longer than `maxBytes`
 * before reading its payload (a bounded request).
 *
 * @example
 * const reader = new FrameReader(MAX_REQUEST_BYTES);
 * socket.on('data', (chunk) => { for (const frame of reader.push(chunk)) handle(frame); });
 */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): { kind: number; payload: Buffer }[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: { kind: number; payload: Buffer }[] = [];
    while (this.buffered.length >= HEADER_BYTES) {
      const kind = this.buffered.readUInt8(0);
      const length = this.buffered.readUInt32BE(1);
      if (length > this.maxBytes)
        throw new FrameError(`a frame of ${length} bytes is over the ${this.maxBytes} allowed`);
      if (this.buffered.length < HEADER_BYTES + length) break;
      frames.push({ kind, payload: this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length) });
      this.buffered = this.buffered.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}
