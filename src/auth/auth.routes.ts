import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiApp } from '../shared/api-app.js';
import { commonErrors, errorResponseSchema } from '../shared/http-schemas.js';
import { registrationInfo } from './account.service.js';
import {
  clearSessionCookie,
  contextOf,
  noContent,
  publicAuthErrors,
  setSessionCookie,
} from './auth.http.js';
import { authRateLimit, bodyField } from './auth.rate-limit.js';
import {
  availabilityQuerySchema,
  availabilityResponseSchema,
  changePasswordBodySchema,
  currentUserResponseSchema,
  loginBodySchema,
  loginResponseSchema,
  registerBodySchema,
  registrationInfoSchema,
  updateUserBodySchema,
  userResponseSchema,
} from './auth.schema.js';
import {
  changePassword,
  getUser,
  login,
  logout,
  register,
  updateProfile,
  type AccountDeps,
} from './auth.service.js';
import { checkAvailability } from './availability.service.js';

const accountFields = [bodyField('username'), bodyField('email')];

/** Registration and sign-in. */
function registerSignUpRoutes(app: ApiApp, deps: AccountDeps): void {
  app.post(
    '/auth/register',
    {
      preValidation: authRateLimit(app, deps, 'register', accountFields),
      schema: {
        tags: ['auth'],
        summary: 'Create an account (then log in)',
        description:
          'The password needs at least 10 characters, must not contain the username and must ' +
          'not be a common password; a weak one answers 400 WEAK_PASSWORD listing the rules broken. ' +
          'Unless REGISTRATION is open, only the first account of the instance (which becomes ' +
          'admin) can register; others answer 403 REGISTRATION_CLOSED and need an invitation.',
        security: [],
        body: registerBodySchema,
        response: {
          201: userResponseSchema,
          ...publicAuthErrors,
          403: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const user = await register(deps, request.body, contextOf(request));
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/auth/login',
    {
      preValidation: authRateLimit(app, deps, 'login', accountFields, { perAccountAndIp: true }),
      schema: {
        tags: ['auth'],
        summary: 'Log in with username or e-mail and password',
        description:
          'Sets the HttpOnly `mpf_session` cookie and returns the CSRF token that cookie requests ' +
          'send as `x-csrf-token`, plus a new bearer token for scripts.',
        security: [],
        body: loginBodySchema,
        response: {
          200: loginResponseSchema,
          ...publicAuthErrors,
          401: errorResponseSchema,
          403: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await login(deps, request.body, contextOf(request), request.log);
      setSessionCookie(deps.config, request, reply, result.sessionSecret, result.sessionExpiresAt);
      return { user: result.user, token: result.token, csrfToken: result.csrfToken };
    },
  );
}

/** Sign-out and the signed-in account. */
function registerSessionRoutes(app: ApiApp, deps: AccountDeps): void {
  app.post(
    '/auth/logout',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['auth'],
        summary: 'End this session (or revoke the bearer token used)',
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      await logout(deps, request.authentication, contextOf(request));
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/user',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user (and the CSRF token when signed in by cookie)',
        response: { 200: currentUserResponseSchema, ...commonErrors },
      },
    },
    async (request) => {
      const user = await getUser(deps, request.user.id);
      const { csrfToken } = request.authentication;
      return csrfToken ? { user, csrfToken } : { user };
    },
  );

  app.put(
    '/auth/user',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['auth'],
        summary: 'Change the display name (the e-mail changes through POST /api/auth/email)',
        body: updateUserBodySchema,
        response: { 200: userResponseSchema, ...commonErrors, 409: errorResponseSchema },
      },
    },
    async (request) => ({
      user: await updateProfile(deps, request.user.id, request.body),
    }),
  );

  app.post(
    '/auth/password',
    {
      preHandler: [app.requireUser, authRateLimit(app, deps, 'password', [(r) => r.user.id])],
      schema: {
        tags: ['auth'],
        summary: "Change the password; ends the user's other sessions",
        body: changePasswordBodySchema,
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      await changePassword(deps, request.authentication, request.body, contextOf(request));
      return reply.code(204).send();
    },
  );
}

/** What the sign-up form asks before anyone is signed in. */
function registerPublicAccountRoutes(app: ApiApp, deps: AccountDeps): void {
  app.get(
    '/auth/config',
    {
      schema: {
        tags: ['auth'],
        summary: 'How accounts are made here: the REGISTRATION mode, and whether none exists yet',
        description:
          'On a fresh instance (`firstRun`) anyone may register the first account, which becomes ' +
          'admin; afterwards `open` lets anyone register and `invite`/`closed` need an invitation.',
        security: [],
        response: { 200: registrationInfoSchema },
      },
    },
    async () => registrationInfo(deps.db, deps.config),
  );

  app.get(
    '/auth/availability',
    {
      preValidation: authRateLimit(app, deps, 'availability'),
      schema: {
        tags: ['auth'],
        summary: 'Whether a username and/or e-mail can still be registered',
        description: 'Only while REGISTRATION=open; otherwise 403 REGISTRATION_CLOSED.',
        security: [],
        querystring: availabilityQuerySchema,
        response: {
          200: availabilityResponseSchema,
          ...publicAuthErrors,
          403: errorResponseSchema,
        },
      },
    },
    async (request) => checkAvailability(deps, request.query),
  );
}

/** Accounts and sessions: register, login, logout, profile, password change, availability. */
export const authRoutes: FastifyPluginAsyncZod<{ deps: AccountDeps }> = (app, { deps }) => {
  registerSignUpRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerPublicAccountRoutes(app, deps);
  return Promise.resolve();
};
