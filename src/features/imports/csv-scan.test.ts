// The encoding scan's positions on files of several megabytes, where whole lines of valid UTF-8 take the native path.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { scanEncoding } from './csv.js';

describe('scanEncoding on large files', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-scan-'));
  after(() => fs.rmSync(directory, { recursive: true, force: true }));
  const write = (name: string, parts: (string | Buffer)[]) => {
    const file = path.join(directory, name);
    fs.writeFileSync(file, Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))));
    return file;
  };

  it('finds a bad byte after megabytes of Cyrillic and Arabic with CR LF line ends', async () => {
    const lines = 'АБВГД ЗВ 1985,قذيفة,x\r\n'.repeat(60_000);
    const scan = await scanEncoding(write('mixed.csv', ['h\n', lines, 'ab', Buffer.from([0xe9]), 'c\n', lines]));
    assert.deepEqual(scan, {
      firstNonUtf8: { line: 60_002, column: 3, byte: '0xE9' },
      firstUtf8MultiByte: { line: 2, column: 1, byte: '0xD0' },
      firstNotWindows1252: { line: 2, column: 2, byte: '0x90' },
    });
  });

  it('counts a CR LF split between chunks once, and lone CRs as line ends', async () => {
    const scan = await scanEncoding(write('cr.csv', ['h\r', '\n', 'a\rb\n'.repeat(300_000), 'x', Buffer.from([0x81])]));
    assert.deepEqual(scan.firstNonUtf8, { line: 600_002, column: 2, byte: '0x81' });
    assert.equal(scan.firstUtf8MultiByte, null);
  });

  it('finds the first multi-byte character after megabytes of ASCII', async () => {
    const scan = await scanEncoding(
      write('ascii.csv', ['plain ascii\n'.repeat(200_000), 'Ж\n', 'x'.repeat(10), Buffer.from([0x9d]), '\n']),
    );
    assert.deepEqual(scan, {
      firstNonUtf8: { line: 200_002, column: 11, byte: '0x9D' },
      firstUtf8MultiByte: { line: 200_001, column: 1, byte: '0xD0' },
      firstNotWindows1252: { line: 200_002, column: 11, byte: '0x9D' },
    });
  });
});
