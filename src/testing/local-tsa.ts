import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A time-stamping authority for tests, with no internet: a throwaway CA and
 * TSA certificate (extendedKeyUsage critical,timeStamping) made with the
 * openssl CLI in a temporary folder, and `openssl ts -reply` (one process per
 * request) behind a node:http server on 127.0.0.1.
 */
export interface LocalTsa {
  /** Where to POST application/timestamp-query, e.g. http://127.0.0.1:40123/tsa */
  url: string;
  /** PEM of the CA that issued the TSA certificate: the trust anchor to configure. */
  caFile: string;
  /** PEM of a second, unrelated CA (for "untrusted TSA" tests). */
  otherCaFile: string;
  /** The TSA certificate's subject common name. */
  name: string;
  /** How many requests it answered. */
  requests(): number;
  close(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed (is the Debian package openssl installed?): ${stderr || String(error)}`);
  }
}

async function makeCa(folder: string, name: string, subject: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '3650',
      '-subj',
      subject,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    folder,
  );
}

/**
 * Starts a local TSA; close it after the tests.
 *
 * @example
 * const tsa = await startLocalTsa();
 * const config = loadConfig({ ARMTRACE_TSA_URL: tsa.url, ARMTRACE_TSA_CA_FILE: tsa.caFile });
 * await tsa.close();
 */
export async function startLocalTsa(options: { name?: string } = {}): Promise<LocalTsa> {
  const name = options.name ?? 'armtrace test TSA';
  const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'armtrace-tsa-'));
  await makeCa(folder, 'ca', '/O=armtrace tests/CN=armtrace test CA');
  await makeCa(folder, 'other-ca', '/O=somebody else/CN=unrelated CA');
  await openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'tsa.key',
      '-out',
      'tsa.csr',
      '-subj',
      `/O=armtrace tests/CN=${name}`,
    ],
    folder,
  );
  await fsp.writeFile(
    path.join(folder, 'tsa.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\n',
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      'tsa.ext',
      '-out',
      'tsa.crt',
    ],
    folder,
  );
  await fsp.writeFile(path.join(folder, 'tsaserial'), '01\n');
  await fsp.writeFile(
    path.join(folder, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = local_tsa',
      '[ local_tsa ]',
      `dir = ${folder}`,
      'serial = $dir/tsaserial',
      'crypto_device = builtin',
      'signer_cert = $dir/tsa.crt',
      'signer_key = $dir/tsa.key',
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = yes',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );

  let answered = 0;
  // openssl ts keeps its serial number in a file: one request at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const work = queue.then(async () => {
        if (request.method !== 'POST' || request.headers['content-type'] !== 'application/timestamp-query') {
          response.writeHead(415).end('send application/timestamp-query');
          return;
        }
        const id = randomUUID();
        const query = path.join(folder, `${id}.tsq`);
        const reply = path.join(folder, `${id}.tsr`);
        try {
          await fsp.writeFile(query, Buffer.concat(chunks));
          await openssl(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', query, '-out', reply], folder);
          const bytes = await fsp.readFile(reply);
          answered += 1;
          response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(bytes);
        } catch (error) {
          response.writeHead(500).end(String(error));
        } finally {
          await fsp.rm(query, { force: true });
          await fsp.rm(reply, { force: true });
        }
      });
      queue = work.catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caFile: path.join(folder, 'ca.crt'),
    otherCaFile: path.join(folder, 'other-ca.crt'),
    name,
    requests: () => answered,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * A URL on 127.0.0.1 where nothing listens (a port just freed), for "TSA unreachable" tests.
 *
 * @example
 * const url = await unreachableTsaUrl();
 */
export async function unreachableTsaUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/tsa`;
}
