import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printRecord, printTable } from '../../cli/output.js';
import { jobParamsSchema, type JobResponse } from './schema.js';
import * as service from './service.js';

function progressText(job: JobResponse): string {
  const { done, total, message } = job.progress;
  const counted = done === null ? '' : total === null ? `${done}` : `${done}/${total}`;
  return [counted, message ?? ''].filter((part) => part !== '').join(' ');
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
