import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord, printTable } from '../../cli/output.js';
import {
  documentListQuerySchema,
  remindersQuerySchema,
  traceRequestListQuerySchema,
  type TraceRequestDocumentKind,
  type TraceRequestStatus,
} from './schema.js';
import * as service from './service.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function registerTraceCommands(program: Command): void {
  const trace = program.command('trace').description('Trace requests to manufacturers, states and other actors');

  trace
    .command('add')
    .description('Record a trace request (a draft unless --status says otherwise)')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--to <actorId>', 'the actor asked to trace')
    .requiredOption('--subject <text>', 'subject')
    .option('--lot <marking>', 'the lot marking asked about')
    .option('--status <status>', 'draft, sent, acknowledged, answered, no_response, declined or closed', 'draft')
    .option('--sent <date>', 'date sent (YYYY-MM-DD); marking it sent without a date records today')
    .option('--due <date>', 'date an answer is due (YYYY-MM-DD)')
    .option('--item <id>', 'an item the request covers (repeat for several)', collect, [])
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          to: string;
          subject: string;
          lot?: string;
          status: string;
          sent?: string;
          due?: string;
          item: string[];
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const created = await service.createTraceRequest(db, actor, options.investigation, {
            addressee_id: options.to,
            subject: options.subject,
            lot_marking: options.lot,
            status: options.status as TraceRequestStatus,
            sent_on: options.sent,
            due_on: options.due,
            item_ids: options.item,
          });
          if (options.json === true) printJson(created);
          else process.stdout.write(`Created trace request ${created.id} (${created.status})\n`);
        });
      },
    );

  addPageOptions(
    trace
      .command('list')
      .description('List the trace requests of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--status <status>', 'only this status')
      .option('--overdue', 'only requests awaiting an answer past their due date'),
  )
    .option('--include-archived', 'also list archived requests')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          status?: string;
          overdue?: boolean;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        const query = traceRequestListQuerySchema.parse({
          limit: options.limit,
          after: options.after,
          include_archived: options.includeArchived === true ? 'true' : 'false',
          status: options.status,
          overdue: options.overdue === true ? 'true' : 'false',
        });
        await withSession(command, async ({ db, actor }) => {
          const page = await service.listTraceRequests(db, actor, options.investigation, query);
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'TO', value: (row) => row.addressee_name },
              { header: 'SUBJECT', value: (row) => row.subject },
              { header: 'STATUS', value: (row) => (row.overdue ? `${row.status} (overdue)` : row.status) },
              { header: 'SENT', value: (row) => row.sent_on },
              { header: 'DUE', value: (row) => row.due_on },
              { header: 'ITEMS', value: (row) => row.item_ids.length },
            ],
            query.overdue || query.status !== undefined
              ? 'No trace requests match.'
              : `No trace requests yet. Record one with \`armtrace trace add --investigation ${options.investigation} --to ACTOR_ID --subject "..."\`.`,
            options,
          );
        });
      },
    );

  trace
    .command('show <id>')
    .description('Show a trace request and the items it covers')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getTraceRequest(db, actor, id);
        if (options.json === true) printJson(record);
        else printRecord(record);
      });
    });

  trace
    .command('link <id>')
    .description('Add an item to those a trace request covers')
    .requiredOption('--item <itemId>', 'item id')
    .action(async (id: string, options: { item: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const updated = await service.linkTraceRequestItem(db, actor, id, { item_id: options.item });
        process.stdout.write(`Trace request ${updated.id} now covers ${updated.item_ids.length} item(s)\n`);
      });
    });

  trace
    .command('unlink <id>')
    .description('Remove an item a trace request covers in error (the audit log keeps both)')
    .requiredOption('--item <itemId>', 'item id')
    .action(async (id: string, options: { item: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const updated = await service.unlinkTraceRequestItem(db, actor, id, options.item);
        process.stdout.write(`Trace request ${updated.id} now covers ${updated.item_ids.length} item(s)\n`);
      });
    });

  trace
    .command('set-status <id> <status>')
    .description('Move a trace request along its workflow (e.g. sent, answered, closed)')
    .requiredOption('--version <n>', 'the version you read (see `trace show`)')
    .option('--sent <date>', 'date sent (YYYY-MM-DD)')
    .option('--response <text>', 'the answer received')
    .action(
      async (
        id: string,
        status: string,
        options: { version: string; sent?: string; response?: string },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const updated = await service.updateTraceRequest(db, actor, id, {
            version: Number(options.version),
            status: status as TraceRequestStatus,
            ...(options.sent === undefined ? {} : { sent_on: options.sent }),
            ...(options.response === undefined ? {} : { response_text: options.response }),
          });
          process.stdout.write(`Trace request ${updated.id} is now ${updated.status} (version ${updated.version})\n`);
        });
      },
    );

  trace
    .command('reminders')
    .description('Trace requests to remind: awaiting an answer past their due date, most overdue first')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--as-of <date>', 'judge overdue on this day (YYYY-MM-DD); today by default')
    .option('--json', 'print JSON')
    .action(async (options: { investigation: string; asOf?: string; json?: boolean }, command: Command) => {
      const query = remindersQuerySchema.parse({ as_of: options.asOf });
      await withSession(command, async ({ db, actor }) => {
        const reminders = await service.listReminders(db, actor, options.investigation, query);
        if (options.json === true) return printJson(reminders);
        printTable(
          reminders.items,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'TO', value: (row) => row.addressee_name },
            { header: 'SUBJECT', value: (row) => row.subject },
            { header: 'STATUS', value: (row) => row.status },
            { header: 'SENT', value: (row) => row.sent_on },
            { header: 'DUE', value: (row) => row.due_on },
            { header: 'DAYS OVERDUE', value: (row) => row.days_overdue },
          ],
          `No trace request is overdue on ${reminders.as_of}.`,
        );
      });
    });

  trace
    .command('attach <id>')
    .description('Attach a media record to a trace request: the letter sent, the answer, a reminder or an annex')
    .requiredOption('--media <mediaId>', 'the media record (register the file first)')
    .requiredOption('--kind <kind>', 'request, response, reminder or annex')
    .option('--description <text>', 'what the document is', '')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        options: { media: string; kind: string; description: string; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const document = await service.attachTraceRequestDocument(db, actor, id, {
            media_id: options.media,
            kind: options.kind as TraceRequestDocumentKind,
            description: options.description,
          });
          if (options.json === true) printJson(document);
          else process.stdout.write(`Attached ${document.kind} ${document.id} to trace request ${id}\n`);
        });
      },
    );

  trace
    .command('documents <id>')
    .description('List the documents attached to a trace request')
    .option('--include-archived', 'also list detached documents')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { includeArchived?: boolean; json?: boolean }, command: Command) => {
      const query = documentListQuerySchema.parse({
        include_archived: options.includeArchived === true ? 'true' : 'false',
      });
      await withSession(command, async ({ db, actor }) => {
        const documents = await service.listTraceRequestDocuments(db, actor, id, query);
        if (options.json === true) return printJson(documents);
        printTable(
          documents.items,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'KIND', value: (row) => row.kind },
            { header: 'FILE', value: (row) => row.original_filename },
            { header: 'TYPE', value: (row) => row.media_type },
            { header: 'DESCRIPTION', value: (row) => row.description },
            { header: 'DETACHED', value: (row) => (row.archived_at === null ? '' : 'yes') },
          ],
          `No documents attached. Attach one with \`armtrace trace attach ${id} --media MEDIA_ID --kind response\`.`,
        );
      });
    });

  trace
    .command('history <id>')
    .description('Every change to a trace request, its items and its documents, oldest first')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const history = await service.getTraceRequestHistory(db, actor, id);
        if (options.json === true) return printJson(history);
        printTable(
          history.entries,
          [
            { header: 'SEQ', value: (row) => row.seq },
            { header: 'AT', value: (row) => row.at },
            { header: 'BY', value: (row) => row.actor_label },
            { header: 'ACTION', value: (row) => row.action },
            {
              header: 'CHANGES',
              value: (row) =>
                row.changes.map((change) => `${change.field}: ${JSON.stringify(change.after)}`).join('; '),
            },
          ],
          'No recorded changes.',
        );
      });
    });
}

/** `armtrace trace …`. */
export function registerTraceRequestCommands(program: Command): void {
  registerTraceCommands(program);
}
