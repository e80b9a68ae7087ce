import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { withSession, type CliSession } from '../../cli/context.js';
import { setExitCode } from '../../cli/invocation.js';
import { printJson, printRecord, printTable } from '../../cli/output.js';
import { requireAdmin, requireRole } from '../access/service.js';
import { AUDIT_VERIFY_JOB } from '../audit/jobs.js';
import { BAG_EXPORT_JOB } from '../bags/jobs.js';
import { parseProfileOptions, withProfileOptions } from '../export/cli-profile.js';
import { jobParamsSchema, type JobResponse } from './schema.js';
import * as service from './service.js';

function progressText(job: JobResponse): string {
  const { done, total, message } = job.progress;
  const counted = done === null ? '' : total === null ? `${done}` : `${done}/${total}`;
  return [counted, message ?? ''].filter((part) => part !== '').join(' ');
}

/**
 * Queues a job and, with `--wait`, follows it to its end (progress on stderr): inside `serve` its queue runs it;
 * without a running server this process runs it. Prints the job (JSON with `--json`); a failed job exits 1.
 */
async function startJob(
  session: CliSession,
  name: string,
  payload: unknown,
  options: { investigationId?: string; singletonKey: string; wait?: boolean; json?: boolean },
): Promise<void> {
  let shown = (
    await service.enqueueJob(session.jobs, name, payload, {
      createdBy: session.actor.userId,
      investigationId: options.investigationId ?? null,
      singletonKey: options.singletonKey,
    })
  ).job;
  if (options.wait === true) {
    await session.runJobsHere();
    let lastProgress = '';
    while (shown.state !== 'succeeded' && shown.state !== 'failed') {
      await sleep(200);
      shown = service.jobResponse(await service.getVisibleJob(session.db, session.actor, shown.id));
      const progress = progressText(shown);
      if (progress !== lastProgress && options.json !== true) process.stderr.write(`${shown.state} ${progress}\n`);
      lastProgress = progress;
    }
    if (shown.state === 'failed') setExitCode(1);
  }
  if (options.json === true) return printJson(shown);
  printRecord({
    id: shown.id,
    name: shown.name,
    state: shown.state,
    progress: progressText(shown),
    result: shown.result === null ? '' : `${shown.result.file} (${shown.result.bytes} bytes): ${shown.result.url}`,
    problem: shown.problem === null ? '' : `[${shown.problem.code}] ${shown.problem.detail}`,
  });
}

export function registerJobCommands(program: Command): void {
  const job = program.command('job').description('Follow the jobs run in the background (reports, bags, verify)');
  job
    .command('show <id>')
    .description('Show one job: state, progress, result, problem')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const { id: jobId } = jobParamsSchema.parse({ id });
      await withSession(command, async ({ db, actor }) => {
        const shown = service.jobResponse(await service.getVisibleJob(db, actor, jobId));
        if (options.json === true) return printJson(shown);
        printRecord({
          id: shown.id,
          name: shown.name,
          investigation: shown.investigation_id ?? '',
          state: shown.state,
          tries: `${shown.attempts} of ${shown.max_attempts}`,
          progress: progressText(shown),
          result:
            shown.result === null
              ? ''
              : `${shown.result.file} (${shown.result.bytes} bytes, sha256 ${shown.result.sha256})`,
          problem: shown.problem === null ? '' : `[${shown.problem.code}] ${shown.problem.detail}`,
          created: shown.created_at.toISOString(),
          finished: shown.finished_at?.toISOString() ?? '',
        });
      });
    });
  withProfileOptions(
    job
      .command('bag <investigation-id>')
      .description('Export an investigation as a bag in the background (the tar file of `bag export` is the result)')
      .option('--wait', 'follow the job to its end (without a running server, this process runs it)')
      .option('--json', 'print JSON'),
  ).action(
    async (
      investigationId: string,
      options: { wait?: boolean; json?: boolean; profile?: string; gridKm?: string },
      command: Command,
    ) => {
      const { profile, gridKm } = parseProfileOptions(options);
      await withSession(command, async (session) => {
        await requireRole(session.db, session.actor, investigationId, 'viewer');
        await startJob(
          session,
          BAG_EXPORT_JOB,
          { investigationId, profile, gridKm },
          {
            ...options,
            investigationId,
            singletonKey: `${session.actor.userId}:${investigationId}:${profile}:${gridKm}`,
          },
        );
      });
    },
  );
  job
    .command('verify')
    .description('Run `armtrace verify` in the background (administrators); the verify report (JSON) is the result')
    .option('--wait', 'follow the job to its end (without a running server, this process runs it)')
    .option('--json', 'print JSON')
    .action(async (options: { wait?: boolean; json?: boolean }, command: Command) => {
      await withSession(command, async (session) => {
        requireAdmin(session.actor);
        await startJob(session, AUDIT_VERIFY_JOB, {}, { ...options, singletonKey: 'all' });
      });
    });
  job
    .command('list')
    .description('The latest jobs (administrators: everyone’s; others: their own), newest first')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; json?: boolean }, command: Command) => {
      const limit = Math.min(500, Math.max(1, Number.parseInt(options.limit, 10) || 50));
      await withSession(command, async ({ db, actor }) => {
        const jobs = await service.listRecentJobs(db, actor, limit);
        if (options.json === true) return printJson(jobs);
        printTable(
          jobs,
          [
            { header: 'id', value: (row) => row.id },
            { header: 'name', value: (row) => row.name },
            { header: 'state', value: (row) => row.state },
            { header: 'progress', value: (row) => progressText(row) },
            { header: 'created', value: (row) => row.created_at.toISOString() },
          ],
          'No jobs.',
        );
      });
    });
}
