import { randomBytes } from 'node:crypto';
import { Option, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printTable } from '../../cli/output.js';
import * as secondFactor from './second-factor.js';
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
        const { items: users } = await service.listUsers(db, actor, { after: undefined, limit: 10_000 });
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

  user
    .command('deactivate <username>')
    .description(
      'Deactivate a user: no sign-in, their sessions and API tokens stop at once; records keep them as author',
    )
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .action(async (username: string, options: { reason: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const found = await service.findUserByUsername(db, username);
        const user = await service.deactivateUser(db, actor, found.id, {
          version: found.version,
          reason: options.reason,
        });
        process.stdout.write(`Deactivated ${user.username}; their sessions and API tokens no longer work.\n`);
      });
    });

  user
    .command('unlock <username>')
    .description('Clear the failed sign-ins of a user, ending a sign-in lockout')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        await service.clearSignInThrottle(db, actor, `account:${username.trim().toLowerCase()}`);
        process.stdout.write(`Cleared the failed sign-ins of ${username}.\n`);
      });
    });

  const twoFactor = user.command('2fa').description('Two-factor sign-in (TOTP) of a user');
  twoFactor
    .command('status <username>')
    .description('Whether the user signs in with a second factor, and how many recovery codes are left')
    .option('--json', 'print JSON')
    .action(async (username: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const found = await service.findUserByUsername(db, username);
        const status = await secondFactor.secondFactorStatus(db, actor, found.id);
        if (options.json === true) return printJson(status);
        process.stdout.write(
          status.enabled
            ? `${username}: two-factor sign-in enabled since ${status.enabled_at}; ${status.recovery_codes_left} recovery codes left\n`
            : `${username}: two-factor sign-in not enabled${status.enrolment_pending ? ' (enrolment started, not confirmed)' : ''}\n`,
        );
      });
    });
  twoFactor
    .command('reset <username>')
    .description('Remove the user’s second factor and recovery codes (lost authenticator); they enrol again')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        await secondFactor.resetSecondFactor(db, actor, { username });
        process.stdout.write(
          `Removed the second factor of ${username}; they sign in with the password and enrol again.\n`,
        );
      });
    });

  const token = program.command('token').description('API tokens: create, list, revoke');
  token
    .command('create')
    .description('Create an API token for yourself (or the --as user); prints it once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--days <days>', 'lifetime in days (default 90, at most ARMTRACE_TOKEN_MAX_DAYS)', (value) =>
      Number.parseInt(value, 10),
    )
    .addOption(
      new Option('--scope <scope>', 'read or read_write').choices(['read', 'read_write']).default('read_write'),
    )
    .option('--investigation <id>', 'limit the token to this investigation')
    .option('--json', 'print JSON')
    .action(
      async (
        options: { name: string; days?: number; scope: 'read' | 'read_write'; investigation?: string; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor, config }) => {
          const { token: secret, record } = await service.createApiToken(
            db,
            actor,
            {
              name: options.name,
              scope: options.scope,
              ...(options.days === undefined ? {} : { expires_in_days: options.days }),
              ...(options.investigation === undefined ? {} : { investigation_id: options.investigation }),
            },
            config.tokenMaxDays,
          );
          if (options.json === true) return printJson({ ...service.toApiToken(record), token: secret });
          process.stdout.write(
            `Token ${record.id} (${record.scope}, expires ${record.expires_at.toISOString()}):\n${secret}\n`,
          );
        });
      },
    );
  token
    .command('list')
    .description('List your API tokens, or another user’s (--user, administrators)')
    .option('--user <username>', 'whose tokens')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const userId =
          options.user === undefined ? actor.userId : (await service.findUserByUsername(db, options.user)).id;
        const tokens = await service.listApiTokens(db, actor, userId);
        if (options.json === true) return printJson({ items: tokens });
        printTable(
          tokens,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'NAME', value: (row) => row.name },
            { header: 'SCOPE', value: (row) => row.scope },
            { header: 'INVESTIGATION', value: (row) => row.investigation_id ?? 'all' },
            { header: 'EXPIRES', value: (row) => row.expires_at },
            { header: 'LAST USED', value: (row) => row.last_used_at ?? '' },
            { header: 'REVOKED', value: (row) => row.revoked_at ?? '' },
          ],
          'No tokens.',
        );
      });
    });
  token
    .command('revoke <id>')
    .description('Revoke an API token; it stops working at once')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const revoked = await service.revokeApiToken(db, actor, id);
        process.stdout.write(`Revoked token ${revoked.id} (${revoked.name}).\n`);
      });
    });
}
