import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { requireAdmin } from '../access/service.js';
import { setExitCode } from '../../cli/invocation.js';
import { addPageOptions, createProgress, printJson, printPage, printRecord, printTable } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import { translateDatabaseError } from '../../db/postgres-errors.js';
import { FolderEvidenceStore, openLocalFile } from '../../storage/folder-store.js';
import { copyStore } from '../../storage/migrate.js';
import { sensitivityFromOptions, type SensitivityOptions } from '../sensitivity/cli-options.js';
import { sensitivityLevels } from '../sensitivity/schema.js';
import type { MediaLink, MediaProof, UploadedMedia } from './schema.js';
import { derivativesForCommand } from './derivative-jobs.js';
import * as service from './service.js';

/** A file refused by `media add`, as the CLI prints it: the problem code and its detail (no HTTP involved). */
function describeFailure(error: unknown): { code: string; detail: string } {
  const translated = translateDatabaseError(error);
  if (translated instanceof DomainError) return { code: translated.code, detail: translated.message };
  return { code: 'internal', detail: translated instanceof Error ? translated.message : String(translated) };
}

function describeTarget(link: MediaLink): string {
  if (link.site_id !== null) return `site ${link.site_id}`;
  if (link.item_id !== null) return `item ${link.item_id}`;
  return `marking ${link.marking_id ?? ''}`;
}

/** Each proof on its own lines: "claims present" and the signature state are said apart, never merged. */
function printProofs(proofs: MediaProof[]): void {
  for (const proof of proofs) {
    const what = proof.kind === 'c2pa' ? 'C2PA Content Credentials' : 'ProofMode proof';
    process.stdout.write(
      `  PROOF ${what}: claims present${proof.generator === null ? '' : ` (${proof.generator})`}; signature ${proof.signature_state}\n`,
    );
    if (proof.signer !== null) process.stdout.write(`    signer: ${proof.signer}\n`);
    if (proof.signed_at !== null) process.stdout.write(`    signed at: ${proof.signed_at}\n`);
    process.stdout.write(`    why: ${proof.signature_reason}\n`);
    const assertions = proof.claims.assertions;
    if (Array.isArray(assertions) && assertions.length > 0)
      process.stdout.write(`    assertions: ${assertions.join(', ')}\n`);
    const actions = proof.claims.actions;
    if (Array.isArray(actions) && actions.length > 0)
      process.stdout.write(
        `    actions: ${actions.map((action) => String((action as { action?: unknown }).action)).join(', ')}\n`,
      );
    for (const file of proof.files) process.stdout.write(`    file: ${file.role} ${file.sha256} ${file.name}\n`);
  }
}

function printFlags(links: MediaLink[]): void {
  for (const link of links) {
    for (const flag of link.review_flags) process.stdout.write(`  REVIEW ${flag.kind}: ${flag.message}\n`);
  }
}

interface TargetOptions {
  site?: string;
  item?: string;
  marking?: string;
}

function linkTarget(options: TargetOptions): { site_id?: string; item_id?: string; marking_id?: string } {
  return {
    ...(options.site === undefined ? {} : { site_id: options.site }),
    ...(options.item === undefined ? {} : { item_id: options.item }),
    ...(options.marking === undefined ? {} : { marking_id: options.marking }),
  };
}

export function registerMediaCommands(program: Command): void {
  const media = program
    .command('media')
    .description('Photos, videos and documents: the evidence store, its records and their links');

  media
    .command('migrate-store')
    .description(
      'Copy the folder evidence store into the configured S3-compatible store (ARMTRACE_STORE=s3), re-hashing every ' +
        'object in the target; resumable (objects already there are re-hashed and skipped); exit 1 on any failure',
    )
    .option('--from <dir>', 'the folder store to copy (default: the media folder of the data directory)')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { from?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ actor, config, store }) => {
        requireAdmin(actor);
        if (store.kind !== 's3') {
          throw new DomainError(
            'validation_failed',
            'migrate-store copies the folder store into an S3-compatible store, but the configured store is the folder: set ARMTRACE_STORE=s3 with ARMTRACE_S3_BUCKET (and the endpoint and keys; README "Evidence store"), then run it again.',
            [{ field: 'ARMTRACE_STORE', message: 'must be s3 for migrate-store' }],
          );
        }
        const from = options.from ?? path.join(config.dataDir, 'media');
        if (!fs.statSync(path.join(from, 'sha256'), { throwIfNoEntry: false })?.isDirectory()) {
          throw new DomainError(
            'validation_failed',
            `${from} is not a folder evidence store (it has no sha256/ folder).`,
            [{ field: 'from', message: `${from}: no sha256/ folder` }],
          );
        }
        const source = new FolderEvidenceStore(from);
        process.stderr.write(`Copying ${from} to ${store.location} …\n`);
        const progress = createProgress('objects copied and verified', undefined);
        const summary = await copyStore(source, store, (done) => progress.update(done));
        progress.finish();
        const line = `${summary.objects} object(s), ${summary.bytes} bytes: ${summary.copied} copied, ${summary.already_present} already present, ${summary.failures.length} failed; every object in the target was re-hashed.`;
        process.stderr.write(`${line}\n`);
        if (options.json === true) printJson({ source: from, target: store.location, ...summary });
        else {
          for (const failure of summary.failures)
            process.stdout.write(`FAIL ${failure.kind} ${failure.sha256}: ${failure.message}\n`);
          process.stdout.write(`${summary.ok ? 'OK' : 'FAILED'}: ${line}\n`);
        }
        if (!summary.ok) setExitCode(1);
      });
    });

  media
    .command('add <files...>')
    .description(
      'Store files as evidence (hashed while read, typed by content, stored once) and record them, linked to a site, item or marking; ' +
        'a C2PA manifest in a photo is read and kept, and a ProofMode zip adds each of its photos with its proof',
    )
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--site <id>', 'link each file to this site')
    .option('--item <id>', 'link each file to this item')
    .option('--marking <id>', 'link each file to this marking')
    .option('--source <id>', 'the source the files came from')
    .option('--credit <text>', 'credit line to print with them')
    .option('--licence <text>', 'licence')
    .option('--original-url <url>', 'where they were first published')
    .option('--captured-by <text>', 'who took them (a team or organisation)')
    .option('--sensitivity <level>', `who may see them: ${sensitivityLevels.join(', ')} (default: the investigation's)`)
    .option('--sensitivity-reason <text>', 'why they have this sensitivity (required for restricted)')
    .option('--json', 'print JSON')
    .action(
      async (
        files: string[],
        options: TargetOptions &
          SensitivityOptions & {
            investigation: string;
            source?: string;
            credit?: string;
            licence?: string;
            originalUrl?: string;
            capturedBy?: string;
            json?: boolean;
          },
        command: Command,
      ) => {
        await withSession(command, async (session) => {
          const { db, actor, config, store } = session;
          const derivatives = derivativesForCommand(session);
          await service.requireCanAddMedia(db, actor, options.investigation);
          const sizes = files.map((file) => {
            const stats = fs.statSync(file, { throwIfNoEntry: false });
            if (stats === undefined || !stats.isFile()) {
              throw new DomainError('validation_failed', `${file} is not a readable file.`, [
                { field: 'file', message: `${file}: not a file` },
              ]);
            }
            return stats.size;
          });
          const total = sizes.reduce((sum, size) => sum + size, 0);
          const progress = createProgress('bytes stored', total);
          const added: UploadedMedia[] = [];
          let done = 0;
          let failures = 0;
          for (const [index, file] of files.entries()) {
            try {
              const record = await service.addMediaFromStream(
                db,
                store,
                config.media,
                actor,
                options.investigation,
                openLocalFile(file),
                { filename: path.basename(file) },
                {
                  ...linkTarget(options),
                  source_id: options.source,
                  credit: options.credit,
                  licence: options.licence,
                  original_url: options.originalUrl,
                  captured_by: options.capturedBy,
                  ...sensitivityFromOptions(options),
                },
                derivatives,
                (received) => progress.update(done + received),
              );
              added.push(record);
              if (options.json !== true) {
                progress.finish();
                process.stdout.write(
                  `${record.id}  ${record.sha256}  ${record.media_type}  ${file}${record.stored === 'already_stored' ? '  (bytes already stored)' : ''}${record.same_file.length > 0 ? `  same file as ${record.same_file.join(', ')}` : ''}\n`,
                );
                printFlags(record.links);
                printProofs(record.proofs);
                const others = (record.bundle_media_ids ?? []).slice(1);
                if (others.length > 0)
                  process.stdout.write(
                    `  also from this ProofMode bundle: ${others.join(', ')} (see \`armtrace media show ID\`)\n`,
                  );
              }
            } catch (error) {
              failures += 1;
              const problem = describeFailure(error);
              progress.finish();
              process.stderr.write(`error [${problem.code}] ${file}: ${problem.detail}\n`);
            }
            done += sizes[index]!;
          }
          progress.finish();
          if (options.json === true) printJson(added);
          else if (files.length > 1)
            process.stdout.write(
              `Added ${added.length} of ${files.length} files${failures > 0 ? `; ${failures} refused` : ''}.\n`,
            );
          if (failures > 0) setExitCode(1);
        });
      },
    );

  addPageOptions(
    media
      .command('list')
      .description('List the media records of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--sha256 <hash>', 'only records of the file with this SHA-256')
      .option('--flagged', 'only media with links flagged for review'),
  )
    .option('--include-archived', 'also list archived media records')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          sha256?: string;
          flagged?: boolean;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const page = await service.listMedia(db, actor, options.investigation, {
            limit: Number(options.limit),
            after: options.after,
            include_archived: options.includeArchived === true,
            sha256: options.sha256?.toLowerCase(),
            source_id: undefined,
            flagged: options.flagged === true,
          });
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'TYPE', value: (row) => row.media_type },
              { header: 'FILE', value: (row) => row.original_filename },
              { header: 'SHA256', value: (row) => row.sha256.slice(0, 12) },
              { header: 'CREDIT', value: (row) => row.credit },
              { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
            ],
            options.flagged === true
              ? 'No media flagged for review.'
              : 'No media yet. Add files with `armtrace media add FILE... --investigation ID --item ID`.',
            options,
          );
        });
      },
    );

  media
    .command('show <id>')
    .description(
      'Show a media record, its EXIF facts, what it is linked to (with review flags) and the proofs that came with it (C2PA, ProofMode)',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getMedia(db, actor, id);
        if (options.json === true) return printJson(record);
        const { links, proofs, ...fields } = record;
        printRecord({
          ...fields,
          links:
            links.length === 0 ? 'none' : links.map((link) => `${describeTarget(link)} (link ${link.id})`).join(', '),
          proofs: proofs.length === 0 ? 'none' : `${proofs.length}`,
        });
        printFlags(links);
        printProofs(proofs);
      });
    });

  media
    .command('download <id> <out>')
    .description('Write the original, byte for byte, or a WebP thumbnail or preview, to a file ("-" for stdout)')
    .option('--thumbnail', 'the thumbnail instead of the original')
    .option('--preview', 'the preview instead of the original')
    .action(async (id: string, out: string, options: { thumbnail?: boolean; preview?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor, config, store }) => {
        let source: Readable;
        if (options.thumbnail === true || options.preview === true) {
          const kind = options.thumbnail === true ? 'thumbnail' : 'preview';
          const derivative = await service.getMediaDerivative(db, store, config.media, actor, id, kind);
          source = Readable.from([derivative.bytes]);
        } else {
          source = (await service.openOriginal(db, store, actor, id)).stream;
        }
        if (out === '-') {
          // Standard output stays open for whatever the shell does next.
          await pipeline(source, process.stdout, { end: false });
          return;
        }
        // Never overwrite: a half-written or replaced copy of evidence helps no one.
        await pipeline(source, fs.createWriteStream(out, { flags: 'wx' }));
        process.stderr.write(`Wrote ${out}\n`);
      });
    });

  media
    .command('link <id>')
    .description('Link media to the one site, item or marking it shows (flags an EXIF mismatch for review)')
    .option('--site <id>', 'site id')
    .option('--item <id>', 'item id')
    .option('--marking <id>', 'marking id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: TargetOptions & { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor, config }) => {
        const link = await service.linkMedia(db, actor, id, linkTarget(options), config.media);
        if (options.json === true) return printJson(link);
        process.stdout.write(`Linked ${id} to ${describeTarget(link)} (link ${link.id}).\n`);
        printFlags([link]);
      });
    });

  media
    .command('unlink <link-id>')
    .description('Unlink media: the link is archived with the reason')
    .requiredOption('--version <n>', 'the version of the link you read')
    .requiredOption('--reason <text>', 'why it is unlinked')
    .action(async (linkId: string, options: { version: string; reason: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const link = await service.archiveMediaLink(db, actor, linkId, {
          version: Number(options.version),
          reason: options.reason,
        });
        process.stdout.write(`Unlinked ${link.media_id} from ${describeTarget(link)}.\n`);
      });
    });

  media
    .command('similar <id>')
    .description('List images of the same investigation that look like this one (perceptual hash), nearest first')
    .option('--max-distance <bits>', 'largest Hamming distance, 0-64', '10')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { maxDistance: string; limit: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const result = await service.findSimilarMedia(db, actor, id, {
          max_distance: Number(options.maxDistance),
          limit: Number(options.limit),
        });
        if (options.json === true) return printJson(result);
        printTable(
          result.items,
          [
            { header: 'DISTANCE', value: (row) => row.distance },
            { header: 'ID', value: (row) => row.media.id },
            { header: 'FILE', value: (row) => row.media.original_filename },
            { header: 'SOURCE', value: (row) => row.media.source_id },
            { header: 'CREDIT', value: (row) => row.media.credit },
            { header: 'LICENCE', value: (row) => row.media.licence },
            { header: 'URL', value: (row) => row.media.original_url },
          ],
          `No image within ${options.maxDistance} bits of ${id}.`,
        );
      });
    });
}
