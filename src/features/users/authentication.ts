import type { Authentication } from '../../authentication.js';
import { adminSecondFactorRequired, hasSecondFactor } from './second-factor.js';
import { authenticateApiToken, authenticateSession, ensureFirstAdmin, resolveLocalActor } from './service.js';

/**
 * The users feature's answer to "who is acting" for the HTTP layer and the CLI (see `src/authentication.ts`): the
 * program assembly passes it down, so that infrastructure never imports this feature.
 *
 * @example
 * const app = await buildApp({ db, config }); // takes usersAuthentication from the route mount list
 */
export const usersAuthentication: Authentication = {
  session: authenticateSession,
  apiToken: authenticateApiToken,
  async requireSecondFactor(db, userId) {
    if (!(await hasSecondFactor(db, userId))) throw adminSecondFactorRequired();
  },
  localActor: resolveLocalActor,
  ensureFirstAdmin,
};
