/**
 * Sign-in throttling (issue 15, M2): failures are counted per account and per client address in the database,
 * so the limit holds across servers. Past a free allowance, each further failure locks that key for twice as
 * long as the one before (10 s, 20 s, 40 s … up to 15 minutes); while locked, attempts are refused with 429 and
 * `Retry-After` before any password is checked. A success clears the account's count (not the address's: one
 * account of one's own must not reset the count of guesses at others). Counts are forgotten after an hour
 * without failures.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { TooManyAttemptsError } from '../../errors.js';
import * as usersRepository from './repository.js';

/** Failures allowed before delays start: few for one account; more for one address, which a team may share. */
export const FREE_FAILURES = { account: 5, address: 20 } as const;
const FIRST_LOCK_SECONDS = 10;
const MAX_LOCK_SECONDS = 15 * 60;
const FORGET_AFTER_MS = 60 * 60 * 1000;

export const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** Refuses the attempt when either key is locked now. */
export async function checkThrottle(db: Queryable, keys: readonly string[], now: Date): Promise<void> {
  const rows = await usersRepository.findThrottles(db, keys);
  const until = Math.max(0, ...rows.map((row) => row.locked_until?.getTime() ?? 0));
  if (until > now.getTime()) {
    const seconds = Math.ceil((until - now.getTime()) / 1000);
    throw new TooManyAttemptsError(
      `Too many failed sign-ins: wait ${seconds} second${seconds === 1 ? '' : 's'} before trying again.`,
      seconds,
    );
  }
}

/** Counts a failure on each key, and locks a key past its allowance, for twice as long each time. */
export async function recordFailure(
  db: Queryable,
  keys: { account: string; address: string | undefined },
  now: Date,
): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
  for (const [kind, key] of [
    ['account', keys.account],
    ['address', keys.address],
  ] as const) {
    if (key === undefined) continue;
    const row = await usersRepository.recordThrottleFailure(db, key, uuidv7(), now, forgetBefore);
    const over = row.failures - FREE_FAILURES[kind];
    if (over >= 0) {
      const seconds = Math.min(FIRST_LOCK_SECONDS * 2 ** Math.min(over, 20), MAX_LOCK_SECONDS);
      await usersRepository.setThrottleLock(db, key, new Date(now.getTime() + seconds * 1000));
    }
  }
}

export async function clearAccount(db: Queryable, username: string): Promise<void> {
  await usersRepository.clearThrottle(db, accountKey(username));
}

export type Throttle = Row<'sign_in_throttle'>;
