import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { loadExampleInvestigation } from './service.js';

export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description('Load the example investigation (a workshop and caches modelled on public reporting from Mosul)')
    .action(async (_options: unknown, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const loaded = await loadExampleInvestigation(db, actor);
        process.stdout.write(`Loaded "${loaded.title}" as investigation ${loaded.id}\n`);
      });
    });
}
