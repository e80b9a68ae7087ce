import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printTable } from '../../cli/output.js';
import * as service from './service.js';

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('User accounts (administrators)');

  user
    .command('add <username>')
    .description('Create a user; prints a generated password unless --password is given')
    .option('--name <displayName>', 'display name')
    .option('--password <password>', 'password (at least 12 characters)')
    .option('--admin', 'make the user an instance administrator')
    .action(
      async (username: string, options: { name?: string; password?: string; admin?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor }) => {
          const password = options.password ?? randomBytes(12).toString('base64url');
          const created = await service.createUser(db, actor, {
            username,
            display_name: options.name ?? username,
            password,
            is_admin: options.admin === true,
          });
          process.stdout.write(`Created user ${created.username} (${created.id})\n`);
          if (options.password === undefined) process.stdout.write(`One-time password: ${password}\n`);
        });
      },
    );

  user
    .command('list')
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const users = await service.listUsers(db, actor, undefined, 10_000);
        if (options.json === true) return printJson({ items: users });
        printTable(
          users,
          [
            { header: 'USERNAME', value: (row) => row.username },
            { header: 'NAME', value: (row) => row.display_name },
            { header: 'ADMIN', value: (row) => (row.is_admin ? 'yes' : '') },
            { header: 'ID', value: (row) => row.id },
          ],
          'No users.',
        );
      });
    });

  user
    .command('password <username>')
    .description('Set a new generated password for a user and print it once')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const password = randomBytes(12).toString('base64url');
        await service.setPassword(db, actor, username, password);
        process.stdout.write(`New password for ${username}: ${password}\n`);
      });
    });
}
