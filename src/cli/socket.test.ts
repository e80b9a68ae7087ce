import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runInvocation, setExitCode, type CliInvocation } from './invocation.js';
import {
  CLI_PROTOCOL_VERSION,
  encodeFrame,
  FrameKind,
  FrameReader,
  MAX_REQUEST_BYTES,
  socketPath,
  socketUnsupportedReason,
  type CliRequest,
} from './socket-protocol.js';
import { openCliSocket, type CliSocketServer, type RemoteCommandRunner } from './socket-server.js';

interface Answer {
  stdout: string;
  stderr: string;
  code: number | undefined;
}

/** Sends raw bytes to the socket and collects the answer frames until the server closes. */
function exchange(file: string, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(file, () => socket.write(bytes));
    const reader = new FrameReader(16 * 1024 * 1024);
    const answer: Answer = { stdout: '', stderr: '', code: undefined };
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (frame.kind === FrameKind.stdout) answer.stdout += frame.payload.toString();
        if (frame.kind === FrameKind.stderr) answer.stderr += frame.payload.toString();
        if (frame.kind === FrameKind.exit)
          answer.code = (JSON.parse(frame.payload.toString()) as { code: number }).code;
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

function requestFrame(request: Partial<CliRequest> & { protocol: number }): Buffer {
  const full = { argv: [], cwd: '/', stdout_is_tty: false, stderr_is_tty: false, ...request };
  return encodeFrame(FrameKind.request, Buffer.from(JSON.stringify(full)));
}

describe('the CLI socket', () => {
  let dataDir: string;
  let server: CliSocketServer;
  let released: (() => void) | undefined;

  // Stands in for the program: writes as commands do (process streams, a pipe into stdout, setExitCode).
  const runner: RemoteCommandRunner = (request, terminal) => {
    const invocation: CliInvocation = {
      exitCode: undefined,
      remote: { terminal, database: {} as never, config: {} as never, store: {} as never, jobs: {} as never },
    };
    return runInvocation(invocation, async () => {
      const [command, ...rest] = request.argv;
      if (command === 'echo') {
        process.stdout.write(`${rest.join(' ')} from ${request.cwd}\n`);
        process.stderr.write(`tty: ${String(process.stdout.isTTY)}\n`);
      } else if (command === 'pipe') {
        await pipeline(Readable.from([Buffer.alloc(3 * 1024 * 1024, 'x'), Buffer.from('end\n')]), process.stdout, {
          end: false,
        });
      } else if (command === 'wait') {
        await new Promise<void>((resolve) => (released = resolve));
        process.stdout.write('waited\n');
        setExitCode(1);
      }
      return invocation.exitCode ?? 0;
    });
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-sock-'));
    // A socket left by a crashed server is in the way; the new server (holding the lock) replaces it.
    const crashed = spawn(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socketPath(dataDir))}, () => console.log('up'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(crashed.stdout, 'data');
    crashed.kill('SIGKILL');
    await once(crashed, 'exit');
    assert.ok(fs.statSync(socketPath(dataDir)).isSocket());
    const opened = await openCliSocket(dataDir, runner);
    if ('unavailable' in opened) throw new Error(opened.unavailable);
    server = opened;
  });
  after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a socket of mode 0600 owned by the user running the server', () => {
    const stats = fs.statSync(server.path);
    assert.ok(stats.isSocket());
    assert.equal((stats.mode & 0o777).toString(8), '600');
    assert.equal(stats.uid, process.getuid!());
  });

  it('runs a command and sends back its stdout, stderr and exit code', async () => {
    const answer = await exchange(
      server.path,
      requestFrame({ protocol: CLI_PROTOCOL_VERSION, argv: ['echo', 'hello'], cwd: '/tmp', stdout_is_tty: true }),
    );
    assert.deepEqual(answer, { stdout: 'hello from /tmp\n', stderr: 'tty: true\n', code: 0 });
  });

  it('relays output piped into stdout in full, in frames, before the exit code', async () => {
    const answer = await exchange(server.path, requestFrame({ protocol: CLI_PROTOCOL_VERSION, argv: ['pipe'] }));
    assert.equal(answer.stdout.length, 3 * 1024 * 1024 + 4);
    assert.ok(answer.stdout.endsWith('xend\n'));
    assert.equal(answer.code, 0);
  });

  it('keeps the exit codes and output of commands running at once apart', async () => {
    const waiting = exchange(server.path, requestFrame({ protocol: CLI_PROTOCOL_VERSION, argv: ['wait'] }));
    while (released === undefined) await new Promise((resolve) => setImmediate(resolve));
    const meanwhile = await exchange(
      server.path,
      requestFrame({ protocol: CLI_PROTOCOL_VERSION, argv: ['echo', 'b'] }),
    );
    assert.equal(meanwhile.code, 0);
    assert.equal(meanwhile.stdout, 'b from /\n');
    released();
    assert.deepEqual(await waiting, { stdout: 'waited\n', stderr: '', code: 1 });
    assert.equal(process.exitCode, undefined, 'the server process keeps its own exit code');
  });

  it('refuses another protocol version, a malformed request and one over the size limit', async () => {
    const version = await exchange(server.path, requestFrame({ protocol: CLI_PROTOCOL_VERSION + 1 }));
    assert.equal(version.code, 1);
    assert.match(version.stderr, /speaks CLI protocol 1, this armtrace speaks 2/);

    const malformed = await exchange(server.path, requestFrame({ protocol: CLI_PROTOCOL_VERSION, cwd: 'relative' }));
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /malformed \(must be an absolute path\)/);

    const header = Buffer.alloc(5);
    header.writeUInt8(FrameKind.request, 0);
    header.writeUInt32BE(MAX_REQUEST_BYTES + 1, 1);
    const oversized = await exchange(server.path, header);
    assert.equal(oversized.code, 2);
    assert.match(oversized.stderr, /over the 1048576 allowed/);
  });

  it('is not opened where a file that is not a socket stands, nor where the path is too long for a socket', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-sock-'));
    try {
      fs.writeFileSync(socketPath(other), 'not a socket');
      const refused = await openCliSocket(other, runner);
      assert.ok('unavailable' in refused);
      assert.match(refused.unavailable, /is not a socket/);
      assert.equal(fs.readFileSync(socketPath(other), 'utf8'), 'not a socket', 'left as it was');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    assert.match(socketUnsupportedReason(`/tmp/${'d'.repeat(120)}`) ?? '', /longer than the 10\d a Unix socket allows/);
  });

  it('the frame reader takes frames split anywhere and refuses one over its limit before reading it', () => {
    const bytes = Buffer.concat([
      encodeFrame(FrameKind.stdout, Buffer.from('one')),
      encodeFrame(FrameKind.stderr, Buffer.from('two')),
    ]);
    const reader = new FrameReader(10);
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));
    assert.deepEqual(
      frames.map((frame) => [frame.kind, frame.payload.toString()]),
      [
        [FrameKind.stdout, 'one'],
        [FrameKind.stderr, 'two'],
      ],
    );
    assert.throws(() => new FrameReader(10).push(encodeFrame(FrameKind.stdout, Buffer.alloc(11))), /over the 10/);
  });

  it('no command sets process.exitCode (inside the server it would be the server’s): they call setExitCode', () => {
    const featuresDir = path.join(import.meta.dirname, '..', 'features');
    const offenders = fs
      .readdirSync(featuresDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => /(^|\/)cli[^/]*\.ts$/.test(file) && !file.endsWith('.test.ts'))
      .filter((file) => /process\.exitCode\s*=/.test(fs.readFileSync(path.join(featuresDir, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
