import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { createProgress, printJson } from '../../cli/output.js';
import { requireAdmin } from '../access/service.js';
import { verifyAudit } from './service.js';

export function registerAuditCommands(program: Command): void {
  program
    .command('verify')
    .description('Walk the audit chain and compare every record with its last audited state; exit 1 on any problem')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        requireAdmin(actor);
        const progress = createProgress('audit entries', undefined);
        const result = await verifyAudit(db, (done) => progress.update(done));
        progress.finish();
        if (options.json === true) printJson(result);
        else {
          for (const problem of result.problems) process.stdout.write(`FAIL ${problem.kind}: ${problem.message}\n`);
          process.stdout.write(
            result.ok
              ? `OK: ${result.entries} audit entries chain correctly to ${result.head?.hash ?? 'the empty chain'}; ${result.rows_checked} records match their audited state.\n`
              : `${result.problems.length} problem(s) found in ${result.entries} audit entries and ${result.rows_checked} records.\n`,
          );
        }
        if (!result.ok) process.exitCode = 1;
      });
    });
}
