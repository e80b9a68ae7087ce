import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printTable } from '../../cli/output.js';
import { rankedSearchQuerySchema, type MarkingHit } from './schema.js';
import * as search from './service.js';

/**
 * The `armtrace markings` command group (search and analysis across investigations), made once: marking search and
 * the marking groups (runs, lots) each add their commands to it.
 *
 * @example
 * markingsCommand(program).command('runs');
 */
export function markingsCommand(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === 'markings') ??
    program.command('markings').description('Find markings across investigations; serial runs and shared lots')
  );
}

/** `armtrace markings search`. */
export function registerMarkingSearchCommands(program: Command): void {
  const markings = markingsCommand(program);

  markings
    .command('search <query>')
    .description(
      'Find markings closest first: plain text is fuzzy, ? is one unreadable character, * any run, [AB] A or B',
    )
    .option('--investigation <id>', 'only this investigation (default: every one you can read)')
    .option('--kind <kind>', 'only markings of this kind')
    .option('--category <category>', 'only markings on items of this category')
    .option('--site <id>', 'only markings on items found at this site')
    .option('--limit <n>', 'results', '20')
    .option('--json', 'print JSON')
    .action(
      async (
        query: string,
        options: {
          investigation?: string;
          kind?: string;
          category?: string;
          site?: string;
          limit: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const parsed = rankedSearchQuerySchema.parse({
          q: query,
          investigation_id: options.investigation,
          kind: options.kind,
          category: options.category,
          site_id: options.site,
          limit: options.limit,
        });
        await withSession(command, async ({ db, actor }) => {
          const result = await search.searchAllMarkings(db, actor, parsed);
          if (options.json === true) return printJson(result);
          printHits(result.items, `No marking resembles "${query}". Try fewer characters, or ? for unreadable ones.`);
        });
      },
    );
}

function printHits(hits: MarkingHit[], emptyMessage: string): void {
  printTable(
    hits,
    [
      { header: 'SCORE', value: (hit) => hit.score.toFixed(2) },
      { header: 'TEXT', value: (hit) => hit.text },
      { header: 'KIND', value: (hit) => hit.kind },
      { header: 'ITEM', value: (hit) => hit.item.external_ref ?? hit.item.id },
      { header: 'SITE', value: (hit) => hit.site.name },
      { header: 'DIFFERENCES', value: (hit) => hit.explanation },
      { header: 'MARKING', value: (hit) => hit.id },
    ],
    emptyMessage,
  );
}
