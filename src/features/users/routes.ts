import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageSchema } from '../../db/pagination.js';
import { requireActor, SESSION_COOKIE } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import {
  apiTokenListQuerySchema,
  apiTokenSchema,
  changePasswordBodySchema,
  clearSignInThrottleBodySchema,
  createApiTokenBodySchema,
  createdApiTokenSchema,
  createUserBodySchema,
  deactivateUserBodySchema,
  disableSecondFactorBodySchema,
  investigationSecondFactorSchema,
  pendingSignInSchema,
  revokedSessionsSchema,
  sessionListQuerySchema,
  sessionSchema,
  recoveryCodesSchema,
  secondFactorCodeBodySchema,
  secondFactorEnrolmentSchema,
  secondFactorSignInBodySchema,
  secondFactorStatusSchema,
  setInvestigationSecondFactorBodySchema,
  signedInSchema,
  signInBodySchema,
  signInThrottleSchema,
  userListQuerySchema,
  userSchema,
} from './schema.js';
import * as secondFactor from './second-factor.js';
import * as service from './service.js';
import * as sessions from './sessions.js';

export function registerUserRoutes(app: ApiApp, { db, config }: RouteDeps): void {
  function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
    const secure =
      config.secureCookies === 'always' || (config.secureCookies === 'auto' && request.protocol === 'https');
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: '/',
      expires: expiresAt,
    });
  }
  app.post(
    '/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: signInBodySchema,
        response: { 200: signedInSchema, 202: pendingSignInSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await service.signIn(
        db,
        request.body,
        config.sessionHours,
        request.ip,
        request.headers['user-agent'],
      );
      if (result.kind === 'second_factor') {
        return reply.status(202).send({
          second_factor_required: true as const,
          pending_token: result.pendingToken,
          expires_at: result.expiresAt.toISOString(),
        });
      }
      setSessionCookie(request, reply, result.token, result.expiresAt);
      return { user: result.user, expires_at: result.expiresAt.toISOString() };
    },
  );
  app.post(
    '/auth/sign-in/second-factor',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Finish a sign-in with a TOTP code or a recovery code; sets the session cookie',
        body: secondFactorSignInBodySchema,
        response: { 200: signedInSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const userRow = await secondFactor.finishPendingSignIn(db, request.body, request.ip);
      const { token, user, expiresAt } = await service.startSession(
        db,
        userRow,
        config.sessionHours,
        new Date(),
        request.headers['user-agent'],
      );
      setSessionCookie(request, reply, token, expiresAt);
      return { user, expires_at: expiresAt.toISOString() };
    },
  );
  app.get(
    '/auth/2fa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Your two-factor sign-in status',
        response: { 200: secondFactorStatusSchema, ...problemResponses },
      },
    },
    (request) => secondFactor.secondFactorStatus(db, requireActor(request)),
  );
  app.post(
    '/auth/2fa/enrol',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start enrolling an authenticator (TOTP): the secret and its otpauth:// URI, shown once',
        response: { 201: secondFactorEnrolmentSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await secondFactor.startEnrolment(db, requireActor(request))),
  );
  app.post(
    '/auth/2fa/confirm',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Confirm enrolment with a current code; enables two-factor sign-in and returns ten recovery codes once',
        body: secondFactorCodeBodySchema,
        response: { 200: recoveryCodesSchema, ...problemResponses },
      },
    },
    (request) => secondFactor.confirmEnrolment(db, requireActor(request), request.body.code),
  );
  app.post(
    '/auth/2fa/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Disable your two-factor sign-in, given your password and a code',
        body: disableSecondFactorBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await secondFactor.disableOwnSecondFactor(db, requireActor(request), request.body);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/users/:id/2fa',
    {
      schema: {
        tags: ['users'],
        summary: 'A user’s two-factor sign-in status (administrators)',
        params: z.object({ id: z.uuid() }),
        response: { 200: secondFactorStatusSchema, ...problemResponses },
      },
    },
    (request) => secondFactor.secondFactorStatus(db, requireActor(request), request.params.id),
  );
  app.post(
    '/users/:id/2fa/reset',
    {
      schema: {
        tags: ['users'],
        summary: 'Remove a user’s second factor and recovery codes (administrators); they enrol again',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await secondFactor.resetSecondFactor(db, requireActor(request), { id: request.params.id });
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/investigations/:id/second-factor',
    {
      schema: {
        tags: ['investigations'],
        summary: 'Whether the investigation requires two-factor sign-in of its members',
        params: z.object({ id: z.uuid() }),
        response: { 200: investigationSecondFactorSchema, ...problemResponses },
      },
    },
    (request) => secondFactor.investigationSecondFactor(db, requireActor(request), request.params.id),
  );
  app.put(
    '/investigations/:id/second-factor',
    {
      schema: {
        tags: ['investigations'],
        summary: 'Require (or stop requiring) two-factor sign-in of the investigation’s members (owners)',
        params: z.object({ id: z.uuid() }),
        body: setInvestigationSecondFactorBodySchema,
        response: { 200: investigationSecondFactorSchema, ...problemResponses },
      },
    },
    (request) =>
      secondFactor.setInvestigationSecondFactor(db, requireActor(request), request.params.id, request.body.required),
  );
  app.post(
    '/auth/sign-out',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign out; ends the session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token !== undefined) await service.signOut(db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: userSchema, ...problemResponses } } },
    (request) => service.getUser(db, requireActor(request), requireActor(request).userId),
  );
  app.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for yourself (shown once)',
        body: createApiTokenBodySchema,
        response: { 201: createdApiTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { token, record } = await service.createApiToken(
        db,
        requireActor(request),
        request.body,
        config.tokenMaxDays,
      );
      return reply.status(201).send({ ...service.toApiToken(record), token });
    },
  );
  app.get(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'List your API tokens (administrators: anyone’s, with user_id), revoked and expired ones included',
        querystring: apiTokenListQuerySchema,
        response: { 200: pageSchema(apiTokenSchema), ...problemResponses },
      },
    },
    (request) => service.listApiTokensPage(db, requireActor(request), request.query),
  );
  app.post(
    '/auth/tokens/:id/revoke',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (its owner or an administrator); it stops working at once',
        params: z.object({ id: z.uuid() }),
        response: { 200: apiTokenSchema, ...problemResponses },
      },
    },
    (request) => service.revokeApiToken(db, requireActor(request), request.params.id),
  );
  app.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Change your password; every other session and every API token of yours ends, this session stays signed in',
        body: changePasswordBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.changeOwnPassword(db, requireActor(request), request.cookies[SESSION_COOKIE], request.body);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/auth/lockouts',
    {
      schema: {
        tags: ['auth'],
        summary: 'Accounts and client addresses with failed sign-ins, and until when they are locked (administrators)',
        response: { 200: z.object({ items: z.array(signInThrottleSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await service.listSignInThrottles(db, requireActor(request)) }),
  );
  app.post(
    '/auth/lockouts/clear',
    {
      schema: {
        tags: ['auth'],
        summary: 'Clear the failed sign-ins of one account or address, ending its lockout (administrators)',
        body: clearSignInThrottleBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.clearSignInThrottle(db, requireActor(request), request.body.key);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/users/:id/deactivate',
    {
      schema: {
        tags: ['users'],
        summary:
          'Deactivate a user (administrators): no sign-in, sessions and API tokens stop at once; records keep their author',
        params: z.object({ id: z.uuid() }),
        body: deactivateUserBodySchema,
        response: { 200: userSchema, ...problemResponses },
      },
    },
    (request) => service.deactivateUser(db, requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users (administrators)',
        querystring: userListQuerySchema,
        response: {
          200: z.object({ items: z.array(userSchema), next_after: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => service.listUsers(db, requireActor(request), request.query),
  );
  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (administrators)',
        body: createUserBodySchema,
        response: { 201: userSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createUser(db, requireActor(request), request.body)),
  );
  app.get(
    '/auth/sessions',
    {
      schema: {
        tags: ['auth'],
        summary: 'Your open sessions (browsers signed in as you), the current one marked',
        querystring: sessionListQuerySchema,
        response: { 200: z.object({ items: z.array(sessionSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await sessions.listOwnSessions(db, requireActor(request), request.query) }),
  );
  app.post(
    '/auth/sessions/:id/revoke',
    {
      schema: {
        tags: ['auth'],
        summary: 'End one of your sessions: that browser is signed out at once (audited)',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await sessions.revokeOwnSession(db, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/auth/sessions/revoke-others',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere else: every session of yours but this one ends (audited)',
        response: { 200: revokedSessionsSchema, ...problemResponses },
      },
    },
    (request) => sessions.revokeOtherOwnSessions(db, requireActor(request)),
  );
}
