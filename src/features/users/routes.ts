import { z } from 'zod';
import { pageQuerySchema, toPage } from '../../db/pagination.js';
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
  signedInSchema,
  signInBodySchema,
  signInThrottleSchema,
  userSchema,
} from './schema.js';
import * as service from './service.js';

export function registerUserRoutes(app: ApiApp, { db, config }: RouteDeps): void {
  app.post(
    '/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: signInBodySchema,
        response: { 200: signedInSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { token, user, expiresAt } = await service.signIn(db, request.body, config.sessionHours, request.ip);
      const secure =
        config.secureCookies === 'always' || (config.secureCookies === 'auto' && request.protocol === 'https');
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        expires: expiresAt,
      });
      return { user, expires_at: expiresAt.toISOString() };
    },
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
        response: { 200: z.object({ items: z.array(apiTokenSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await service.listApiTokens(db, requireActor(request), request.query.user_id),
    }),
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
        querystring: pageQuerySchema,
        response: {
          200: z.object({ items: z.array(userSchema), next_after: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const rows = await service.listUsers(db, requireActor(request), request.query.after, request.query.limit + 1);
      return toPage(rows, request.query.limit, (user) => user);
    },
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
}
