/**
 * Evidence-store benchmark: hashes and stores N generated files of mixed
 * sizes (1 GiB in all by default) through the same FolderEvidenceStore that
 * uploads use (one pass: read, SHA-256, write, fsync, link), and compares the
 * throughput with `sha256sum` over the same files in the same run.
 *
 *   npm run bench:media                     # 1 GiB, 3 rounds
 *   npm run bench:media -- --total-mb 2048 --rounds 5 --dir /srv/scratch
 *
 * Everything is written under a temporary folder that is deleted afterwards.
 */
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { FolderEvidenceStore, openLocalFile } from '../../src/storage/folder-store.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    'total-mb': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    dir: { type: 'string', default: os.tmpdir() },
    seed: { type: 'string', default: '1' },
  },
});
const totalBytes = Number(values['total-mb']) * MiB;
const rounds = Number(values.rounds);

/** Sizes like a field team's uploads: many photos, some documents, a few videos. */
function mixedSizes(total: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
  const sizes: number[] = [];
  let sum = 0;
  while (sum < total) {
    const pick = next();
    const size =
      pick < 0.6
        ? Math.round((0.2 + next() * 7.8) * MiB) // photos, 0.2–8 MiB
        : pick < 0.85
          ? Math.round((10 + next() * 40) * MiB) // documents, bursts, 10–50 MiB
          : Math.round((80 + next() * 120) * MiB); // videos, 80–200 MiB
    const clipped = Math.min(size, total - sum);
    sizes.push(Math.max(clipped, 1));
    sum += clipped;
  }
  return sizes;
}

function writeRandomFile(file: string, size: number): void {
  const handle = fs.openSync(file, 'w');
  const block = Buffer.alloc(4 * MiB);
  try {
    for (let written = 0; written < size; written += block.length) {
      const length = Math.min(block.length, size - written);
      randomFillSync(block, 0, length);
      fs.writeSync(handle, block, 0, length);
    }
  } finally {
    fs.closeSync(handle);
  }
}

async function sha256sum(files: string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  // In batches, to stay far below the command-line length limit.
  for (let start = 0; start < files.length; start += 200) {
    const { stdout } = await run('sha256sum', files.slice(start, start + 200), { maxBuffer: 64 * MiB });
    for (const line of stdout.trim().split('\n')) {
      const [hash, file] = [line.slice(0, 64), line.slice(66)];
      hashes.set(file, hash);
    }
  }
  return hashes;
}

async function storeAll(store: FolderEvidenceStore, files: string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const file of files) {
    const { sha256 } = await store.put(openLocalFile(file), { maxBytes: Number.MAX_SAFE_INTEGER });
    hashes.set(file, sha256);
  }
  return hashes;
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const workDir = fs.mkdtempSync(path.join(values.dir, 'armtrace-bench-media-'));
try {
  const sizes = mixedSizes(totalBytes, Number(values.seed));
  const inputDir = path.join(workDir, 'input');
  fs.mkdirSync(inputDir);
  const files = sizes.map((size, index) => {
    const file = path.join(inputDir, `file-${String(index).padStart(4, '0')}.bin`);
    writeRandomFile(file, size);
    return file;
  });
  const total = sizes.reduce((sum, size) => sum + size, 0);
  process.stdout.write(
    `Generated ${files.length} files, ${(total / MiB).toFixed(0)} MiB (smallest ${(Math.min(...sizes) / MiB).toFixed(1)} MiB, largest ${(Math.max(...sizes) / MiB).toFixed(1)} MiB) in ${workDir}\n`,
  );
  // Both contenders read the same files, warm in the page cache after one untimed pass.
  await sha256sum(files);

  const results: { round: number; sha256sumMBs: number; storeMBs: number; ratio: number }[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const reference = await timed(() => sha256sum(files));
    const storeRoot = path.join(workDir, `store-${round}`);
    const store = new FolderEvidenceStore(storeRoot);
    const stored = await timed(() => storeAll(store, files));
    for (const file of files) {
      if (reference.result.get(file) !== stored.result.get(file)) throw new Error(`hash mismatch for ${file}`);
    }
    const sha256sumMBs = total / MiB / reference.seconds;
    const storeMBs = total / MiB / stored.seconds;
    results.push({ round, sha256sumMBs, storeMBs, ratio: storeMBs / sha256sumMBs });
    process.stdout.write(
      `round ${round}: sha256sum ${sha256sumMBs.toFixed(0)} MiB/s (${reference.seconds.toFixed(2)} s), store ${storeMBs.toFixed(0)} MiB/s (${stored.seconds.toFixed(2)} s), ratio ${(storeMBs / sha256sumMBs).toFixed(2)}\n`,
    );
    fs.rmSync(storeRoot, { recursive: true, force: true });
  }
  const summary = {
    files: files.length,
    total_mib: Math.round(total / MiB),
    rounds,
    sha256sum_mib_s: Math.round(median(results.map((entry) => entry.sha256sumMBs))),
    store_mib_s: Math.round(median(results.map((entry) => entry.storeMBs))),
    ratio: Number(median(results.map((entry) => entry.ratio)).toFixed(2)),
    target: 0.7,
    node: process.version,
    cpus: os.cpus().length,
  };
  process.stdout.write(
    `\nmedian: store ${summary.store_mib_s} MiB/s vs sha256sum ${summary.sha256sum_mib_s} MiB/s, ratio ${summary.ratio} (target >= ${summary.target}) ${summary.ratio >= summary.target ? 'PASS' : 'FAIL'}\n${JSON.stringify(summary)}\n`,
  );
  if (summary.ratio < summary.target) process.exitCode = 1;
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
