import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { setExitCode } from '../../cli/invocation.js';
import { printJson } from '../../cli/output.js';
import { createMediaStore } from '../media/store.js';
import { loadConfig } from '../../config/config.js';
import { verifyBag } from './bagit.js';
import { exportBag } from './service.js';
import { verifyBagTimestamp } from './timestamp.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((id) => id !== '')];
}

function collectFiles(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** ARMTRACE_TSA_CA_FILE, when the environment gives it (verify-bag runs without the rest of the configuration). */
function configuredTsaCaFiles(): string[] {
  try {
    return loadConfig().timestamping.caFiles;
  } catch {
    return [];
  }
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
            { items: options.items, timestamping: config.timestamping },
            out,
          );
          if (result.timestamp.problem_code !== null) {
            setExitCode(1);
            process.stderr.write(`armtrace: ${result.timestamp.problem_code}: ${result.timestamp.detail}\n`);
          }
          if (options.json === true) return printJson(result);
          process.stdout.write(
            `Wrote the bag ${out}: ${result.files} payload files (${result.originals} originals), ${result.bytes} bytes; audit head ${result.audit_head === null ? 'empty' : `${result.audit_head.position}:${result.audit_head.hash}`}.\n` +
              (result.timestamp.file === null
                ? ''
                : `Timestamped at ${result.timestamp.timestamped_at ?? '?'} by ${result.timestamp.tsa_name ?? '?'} (${result.timestamp.file}).\n`) +
              `Check it anywhere with \`armtrace verify-bag ${out}\`.\n`,
          );
          if (result.timestamp.file === null && result.timestamp.problem_code === null) {
            process.stdout.write(`${result.timestamp.detail}\n`);
          }
        });
      },
    );

  program
    .command('verify-bag <path>')
    .description(
      'Validate any BagIt bag; names each missing, extra or altered file; checks its RFC 3161 timestamp token (tagmanifest-sha256.txt.tsr) when it has one; exit 1 on any problem',
    )
    .option(
      '--tsa-ca <file>',
      'CA certificate (PEM/DER) the TSA must chain to (repeatable; default: ARMTRACE_TSA_CA_FILE)',
      collectFiles,
      [],
    )
    .option('--json', 'print JSON')
    .action(async (bagPath: string, options: { tsaCa: string[]; json?: boolean }) => {
      // Needs no database: a bag is checked by its own manifests (and the TSA CA given or configured).
      const bag = await verifyBag(bagPath);
      const stamp = await verifyBagTimestamp(
        bagPath,
        options.tsaCa.length > 0 ? options.tsaCa : configuredTsaCaFiles(),
      );
      const problems = [...bag.problems, ...stamp.problems];
      const result = { ...bag, ok: problems.length === 0, problems, timestamp: stamp.timestamp };
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
        process.stdout.write(
          result.timestamp === null
            ? 'Timestamp: none (the bag has no tagmanifest-sha256.txt.tsr).\n'
            : `Timestamp: ${result.timestamp.timestamped_at ?? '?'} by ${result.timestamp.tsa_name ?? '?'}; verified ${result.timestamp.verified ? 'yes' : 'no'}. ${result.timestamp.detail}\n`,
        );
      }
      if (!result.ok) setExitCode(1);
    });
}
