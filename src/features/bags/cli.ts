import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { setExitCode } from '../../cli/invocation.js';
import { printJson } from '../../cli/output.js';
import { createMediaStore } from '../media/store.js';
import { verifyBag } from './bagit.js';
import { exportBag } from './service.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((id) => id !== '')];
}

/** `export bag` (added to the `export` command when it exists) and `verify-bag`. */
export function registerBagCommands(program: Command): void {
  const exportCommand =
    program.commands.find((existing) => existing.name() === 'export') ??
    program.command('export').description('Export records');
  exportCommand
    .command('bag <out>')
    .description(
      'Write an investigation as a BagIt bag (RFC 8493): originals, records as JSON, checksum manifests, audit-chain head',
    )
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--items <ids>', 'only the records about these items (ids separated by commas; repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(
      async (out: string, options: { investigation: string; items: string[]; json?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor, config }) => {
          const result = await exportBag(
            db,
            createMediaStore(config),
            actor,
            options.investigation,
            { items: options.items },
            out,
          );
          if (options.json === true) return printJson(result);
          process.stdout.write(
            `Wrote the bag ${out}: ${result.files} payload files (${result.originals} originals), ${result.bytes} bytes; audit head ${result.audit_head === null ? 'empty' : `${result.audit_head.position}:${result.audit_head.hash}`}.\n` +
              `Check it anywhere with \`armtrace verify-bag ${out}\`.\n`,
          );
        });
      },
    );

  program
    .command('verify-bag <path>')
    .description('Validate any BagIt bag; names each missing, extra or altered file; exit 1 on any problem')
    .option('--json', 'print JSON')
    .action(async (bagPath: string, options: { json?: boolean }) => {
      // Needs no database: a bag is checked by its own manifests.
      const result = await verifyBag(bagPath);
      if (options.json === true) printJson(result);
      else {
        for (const problem of result.problems) {
          process.stdout.write(
            `${problem.kind.toUpperCase()}${problem.path === undefined ? '' : ` ${problem.path}`}: ${problem.message}\n`,
          );
        }
        process.stdout.write(
          result.ok
            ? `OK: ${bagPath} is a valid bag; ${result.payload_files} payload files match their ${result.algorithms.join(', ')} checksums.\n`
            : `${result.problems.length} problem(s) in ${bagPath}.\n`,
        );
      }
      if (!result.ok) setExitCode(1);
    });
}
