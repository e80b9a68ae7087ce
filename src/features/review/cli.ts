import { InvalidArgumentError, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printRecord } from '../../cli/output.js';
import { addPageOptions, printPage, type PageOptions } from '../../cli/page.js';
import { publicationRules, reviewKinds, type PublicationRule, type ReviewKind, type ReviewStatus } from './schema.js';
import * as service from './service.js';

function readKind(value: string): ReviewKind {
  if (!(reviewKinds as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`give one of ${reviewKinds.join(', ')}`);
  }
  return value as ReviewKind;
}

function readVersion(value: string): number {
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1)
    throw new InvalidArgumentError('give the version you reviewed, e.g. 3');
  return version;
}

function printStatus(status: ReviewStatus): void {
  printRecord({
    kind: status.kind,
    id: status.id,
    state: status.state,
    version: status.version,
    created_by: status.created_by.username,
    verified:
      status.verified === null
        ? null
        : `version ${status.verified.version} by ${status.verified.by.username} at ${status.verified.at}${status.verified.current ? '' : ' (changed since)'}`,
    published: status.published === null ? null : `by ${status.published.by.username} at ${status.published.at}`,
    unpublished:
      status.unpublished === null
        ? null
        : `by ${status.unpublished.by.username} at ${status.unpublished.at}: ${status.unpublished.reason}`,
  });
}

export function registerReviewCommands(program: Command): void {
  const review = program
    .command('review')
    .description('Review before publication: draft → submitted → verified (by someone else) → published');

  addPageOptions(
    review
      .command('queue <investigationId>')
      .description('Records awaiting your review: submitted, not created or changed by you (owners and editors)')
      .option('--kind <kind>', `only one kind: ${reviewKinds.join(', ')}`, readKind)
      .option('--sort <key>', 'updated, created, kind or label', 'updated')
      .option('--order <order>', 'asc or desc', 'asc'),
  ).action(
    async (
      investigationId: string,
      options: PageOptions & { kind?: ReviewKind; sort: string; order: string },
      command: Command,
    ) => {
      await withSession(command, async ({ db, actor }) => {
        const queue = await service.listReviewQueue(db, actor, investigationId, {
          kind: options.kind,
          sort: options.sort,
          order: options.order,
          limit: options.limit,
          after: options.after,
        });
        printPage(
          queue,
          options,
          [
            { header: 'KIND', value: (row) => row.kind },
            { header: 'ID', value: (row) => row.id },
            { header: 'VERSION', value: (row) => row.version },
            { header: 'LABEL', value: (row) => row.label },
            { header: 'BY', value: (row) => row.created_by.username },
            { header: 'UPDATED', value: (row) => row.updated_at },
            {
              header: 'NOTE',
              value: (row) => (row.verified_version === null ? '' : `correction of v${row.verified_version}`),
            },
          ],
          queue.can_verify
            ? 'Nothing awaits your review.'
            : 'Your role in this investigation does not verify records (owners and editors do).',
        );
      });
    },
  );

  review
    .command('show <kind> <id>')
    .description(`A record's review state and who verified and published it (kind: ${reviewKinds.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (kind: string, id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const status = await service.getReviewStatus(db, actor, readKind(kind), id);
        if (options.json === true) printJson(status);
        else printStatus(status);
      });
    });

  const steps = [
    ['submit', 'Submit a draft for review', service.submitRecord],
    ['verify', 'Verify a submitted record you neither created nor changed (owners and editors)', service.verifyRecord],
    ['publish', 'Publish a verified record (owners and editors)', service.publishRecord],
  ] as const;
  for (const [step, description, run] of steps) {
    review
      .command(`${step} <kind> <id>`)
      .description(`${description} (kind: ${reviewKinds.join(', ')})`)
      .requiredOption('--version <n>', 'the version you reviewed; a record changed since is refused', readVersion)
      .option('--json', 'print JSON')
      .action(async (kind: string, id: string, options: { version: number; json?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor }) => {
          const status = await run(db, actor, readKind(kind), id, { version: options.version });
          if (options.json === true) printJson(status);
          else printStatus(status);
        });
      });
  }

  review
    .command('unpublish <kind> <id>')
    .description(
      `Take a publication back, with a reason (owners): published → verified (kind: ${reviewKinds.join(', ')})`,
    )
    .requiredOption('--version <n>', 'the version you read; a record changed since is refused', readVersion)
    .requiredOption('--reason <text>', 'why the publication is taken back (kept on the record and in the audit log)')
    .option('--json', 'print JSON')
    .action(
      async (
        kind: string,
        id: string,
        options: { version: number; reason: string; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const status = await service.unpublishRecord(db, actor, readKind(kind), id, {
            version: options.version,
            reason: options.reason,
          });
          if (options.json === true) printJson(status);
          else printStatus(status);
        });
      },
    );

  review
    .command('rule <investigationId>')
    .description('Show, or with --set change (owners), what may be published: verified or submitted')
    .option('--set <rule>', `one of ${publicationRules.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (investigationId: string, options: { set?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        let settings = await service.getReviewSettings(db, actor, investigationId);
        if (options.set !== undefined) {
          settings = await service.updateReviewSettings(db, actor, investigationId, {
            version: settings.version,
            publication_rule: options.set as PublicationRule,
          });
        }
        if (options.json === true) printJson(settings);
        else process.stdout.write(`Publication rule: ${settings.publication_rule}\n`);
      });
    });
}
