import { z } from 'zod';
import { changePasswordSchema, loginRequestSchema, meSchema, totpConfirmSchema, totpEnrolSchema } from '../../api/auth.schema.js';
import { canSeePersonalData, type AccessScope } from '../../auth/access.js';
import { AUTH_CONFIG } from '../../auth/auth-config.js';
import { changeOwnPassword, login, logout } from '../../auth/login.service.js';
import { destroySession } from '../../auth/session.service.js';
import { confirmTotp, enableTotp } from '../../auth/totp.js';
import { defineRoute, type AnyRouteDef } from '../route-def.js';

type Me = z.infer<typeof meSchema>;

function scopeSummary(scope: AccessScope): Me['scope'] {
  return {
    regionCodes: scope.regionCodes === null ? null : [...scope.regionCodes],
    posyanduId: scope.posyanduId,
    puskesmasId: scope.puskesmasId,
    sector: scope.sector,
    personalData: canSeePersonalData(scope),
  };
}

const okSchema = z.object({ ok: z.literal(true) });

/** POST /api/v1/auth/login: checks the password (and TOTP), starts a new session, sets the cookie. */
export const loginRoute = defineRoute({
  id: 'auth.login',
  method: 'POST',
  path: '/api/v1/auth/login',
  summary: { id: 'Masuk dengan nama pengguna dan kata sandi', en: 'Log in with username and password' },
  tag: 'auth',
  access: { kind: 'public' },
  body: loginRequestSchema,
  response: meSchema,
  matrix: () => ({ body: { username: 'matrix-nobody', password: 'wrong-password-1' } }),
  handler: async ({ body, deps, ip, userAgent, requestId, session, cookies }) => {
    // A cookie brought to the login is never kept: the old session ends, a new id is issued.
    if (session) await destroySession(deps.db, session.sessionId);
    const result = await login(deps.db, { username: body.username, password: body.password, totpCode: body.totpCode ?? null, ip, userAgent }, { requestId });
    cookies.set(result.session);
    const idleEnd = Math.min(Date.now() + AUTH_CONFIG.sessionIdleMs, result.session.expiresAt.getTime());
    return {
      user: result.user,
      scope: scopeSummary(result.scope),
      csrfToken: result.session.csrfToken,
      mustChangePassword: result.mustChangePassword,
      expiresAt: result.session.expiresAt.toISOString(),
      idleExpiresAt: new Date(idleEnd).toISOString(),
    };
  },
});

/** POST /api/v1/auth/logout: ends the session and clears the cookie. */
export const logoutRoute = defineRoute({
  id: 'auth.logout',
  method: 'POST',
  path: '/api/v1/auth/logout',
  summary: { id: 'Keluar (mengakhiri sesi)', en: 'Log out (end the session)' },
  tag: 'auth',
  access: { kind: 'session' },
  response: okSchema,
  matrix: () => ({}),
  handler: async ({ deps, scope, session, cookies }) => {
    if (session) await logout(deps.db, scope, session.sessionId);
    cookies.clear();
    return { ok: true as const };
  },
});

/** GET /api/v1/auth/me: the logged-in user, role, scope summary and CSRF token. */
export const meRoute = defineRoute({
  id: 'auth.me',
  method: 'GET',
  path: '/api/v1/auth/me',
  summary: { id: 'Akun yang sedang masuk, wilayahnya, dan token CSRF', en: 'The logged-in account, its area and the CSRF token' },
  tag: 'auth',
  access: { kind: 'session' },
  response: meSchema,
  matrix: () => ({}),
  handler: async ({ session, scope }) => {
    const s = session!;
    return {
      user: s.user,
      scope: scopeSummary(scope),
      csrfToken: s.csrfToken,
      mustChangePassword: s.mustChangePassword,
      expiresAt: s.expiresAt.toISOString(),
      idleExpiresAt: s.idleExpiresAt.toISOString(),
    };
  },
});

/** POST /api/v1/auth/password: the caller changes their own password; other sessions end. */
export const changePasswordRoute = defineRoute({
  id: 'auth.password',
  method: 'POST',
  path: '/api/v1/auth/password',
  summary: { id: 'Mengganti kata sandi sendiri', en: 'Change your own password' },
  tag: 'auth',
  access: { kind: 'session' },
  body: changePasswordSchema,
  response: okSchema,
  matrix: () => ({ body: { currentPassword: 'not-the-password-1', newPassword: 'Another-Password-42' } }),
  handler: async ({ deps, scope, body, session }) => {
    await changeOwnPassword(deps.db, scope, { currentPassword: body.currentPassword, newPassword: body.newPassword, sessionId: session?.sessionId });
    return { ok: true as const };
  },
});

/** POST /api/v1/auth/totp/enrol: an administrator starts TOTP enrolment (secret shown once). */
export const totpEnrolRoute = defineRoute({
  id: 'auth.totp.enrol',
  method: 'POST',
  path: '/api/v1/auth/totp/enrol',
  summary: { id: 'Admin: mulai memasang kode TOTP (faktor kedua)', en: 'Admin: start setting up a TOTP second factor' },
  tag: 'auth',
  access: { kind: 'roles', roles: ['admin'] },
  response: totpEnrolSchema,
  matrix: () => ({}),
  handler: async ({ deps, scope }) => {
    const r = await enableTotp(deps.db, scope);
    return { otpauthUri: r.uri, secret: r.secret };
  },
});

/** POST /api/v1/auth/totp/confirm: the first code from the app turns TOTP on. */
export const totpConfirmRoute = defineRoute({
  id: 'auth.totp.confirm',
  method: 'POST',
  path: '/api/v1/auth/totp/confirm',
  summary: { id: 'Admin: mengaktifkan TOTP dengan kode pertama', en: 'Admin: turn TOTP on with the first code' },
  tag: 'auth',
  access: { kind: 'roles', roles: ['admin'] },
  body: totpConfirmSchema,
  response: okSchema,
  matrix: () => ({ body: { code: '000000' } }),
  handler: async ({ deps, scope, body }) => {
    await confirmTotp(deps.db, scope, body.code);
    return { ok: true as const };
  },
});

/** The account routes of every user. */
export const AUTH_ROUTES: AnyRouteDef[] = [loginRoute, logoutRoute, meRoute, changePasswordRoute, totpEnrolRoute, totpConfirmRoute];
