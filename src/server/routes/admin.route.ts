import { z } from 'zod';
import {
  auditListSchema,
  auditQuerySchema,
  createUserSchema,
  listUsersQuerySchema,
  resetPasswordSchema,
  updateUserSchema,
  userListSchema,
  userViewSchema,
} from '../../api/auth.schema.js';
import { idParamsSchema } from '../../api/common.schema.js';
import { listAudit } from '../../auth/audit.service.js';
import { createUser, disableUser, getUser, listUsers, resetPassword, updateUser, type UserView } from '../../auth/users.service.js';
import type { MatrixWorld } from '../test-support/matrix-world.js';
import { defineRoute, type AnyRouteDef } from '../route-def.js';

type UserViewResponse = z.infer<typeof userViewSchema>;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** An account as the API shows it (timestamps as ISO strings). */
function userResponse(u: UserView): UserViewResponse {
  return {
    ...u,
    regionCodes: [...u.regionCodes],
    lockedUntil: iso(u.lockedUntil),
    lastLoginAt: iso(u.lastLoginAt),
    passwordChangedAt: u.passwordChangedAt.toISOString(),
    createdAt: u.createdAt.toISOString(),
    disabledAt: iso(u.disabledAt),
  };
}

let matrixUserSeq = 0;
/** An account that does not exist: the matrix checks the rule, not the account (404 for admins). */
const NO_SUCH_USER = '2147483000';
const sampleKabupaten = (world: MatrixWorld, target: 'own' | 'foreign') =>
  (target === 'own' ? world.own : world.foreignKabupaten).kabupatenCode;

/** GET /api/v1/admin/users */
export const listUsersRoute = defineRoute({
  id: 'admin.users.list',
  method: 'GET',
  path: '/api/v1/admin/users',
  summary: { id: 'Admin: daftar akun', en: 'Admin: list accounts' },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  query: listUsersQuerySchema,
  response: userListSchema,
  matrix: () => ({ query: { limit: '10' } }),
  handler: async ({ deps, scope, query }) => {
    const r = await listUsers(deps.db, scope, query);
    return { total: r.total, users: r.users.map(userResponse) };
  },
});

/** POST /api/v1/admin/users */
export const createUserRoute = defineRoute({
  id: 'admin.users.create',
  method: 'POST',
  path: '/api/v1/admin/users',
  summary: { id: 'Admin: membuat akun dengan peran dan wilayah', en: 'Admin: create an account with role and area' },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  body: createUserSchema,
  response: userViewSchema,
  status: 201,
  matrix: (world, target) => ({
    body: {
      username: `matrix.viewer.${++matrixUserSeq}`, displayName: 'Matrix Viewer', role: 'viewer',
      password: 'Kp7w-Qx9z-Rt4m-Hn2b', regionCodes: [sampleKabupaten(world, target)],
    },
  }),
  handler: async ({ deps, scope, body }) => userResponse(await createUser(deps.db, scope, body)),
});

/** GET /api/v1/admin/users/:id */
export const getUserRoute = defineRoute({
  id: 'admin.users.get',
  method: 'GET',
  path: '/api/v1/admin/users/:id',
  summary: { id: 'Admin: satu akun', en: 'Admin: one account' },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  params: idParamsSchema,
  response: userViewSchema,
  matrix: () => ({ params: { id: NO_SUCH_USER } }),
  handler: async ({ deps, scope, params }) => userResponse(await getUser(deps.db, scope, params.id)),
});

/** PATCH /api/v1/admin/users/:id */
export const updateUserRoute = defineRoute({
  id: 'admin.users.update',
  method: 'PATCH',
  path: '/api/v1/admin/users/:id',
  summary: { id: 'Admin: mengubah nama, peran, wilayah, atau mengaktifkan kembali akun', en: 'Admin: change name, role, area, or re-enable an account' },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  params: idParamsSchema,
  body: updateUserSchema,
  response: userViewSchema,
  matrix: () => ({ params: { id: NO_SUCH_USER }, body: { displayName: 'Nama Baru' } }),
  handler: async ({ deps, scope, params, body }) => userResponse(await updateUser(deps.db, scope, params.id, body)),
});

/** POST /api/v1/admin/users/:id/reset-password */
export const resetPasswordRoute = defineRoute({
  id: 'admin.users.resetPassword',
  method: 'POST',
  path: '/api/v1/admin/users/:id/reset-password',
  summary: { id: 'Admin: mengatur ulang kata sandi (sesi akun berakhir)', en: "Admin: reset a password (the account's sessions end)" },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  params: idParamsSchema,
  body: resetPasswordSchema,
  response: userViewSchema,
  matrix: () => ({ params: { id: NO_SUCH_USER }, body: { password: 'Kp7w-Qx9z-Rt4m-Hn2b' } }),
  handler: async ({ deps, scope, params, body }) =>
    userResponse(await resetPassword(deps.db, scope, params.id, body.password, { mustChange: body.mustChangePassword })),
});

/** POST /api/v1/admin/users/:id/disable */
export const disableUserRoute = defineRoute({
  id: 'admin.users.disable',
  method: 'POST',
  path: '/api/v1/admin/users/:id/disable',
  summary: { id: 'Admin: menonaktifkan akun (sesi berakhir)', en: 'Admin: disable an account (its sessions end)' },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  params: idParamsSchema,
  response: userViewSchema,
  matrix: () => ({ params: { id: NO_SUCH_USER } }),
  handler: async ({ deps, scope, params }) => userResponse(await disableUser(deps.db, scope, params.id)),
});

/** GET /api/v1/admin/audit */
export const auditRoute = defineRoute({
  id: 'admin.audit.list',
  method: 'GET',
  path: '/api/v1/admin/audit',
  summary: { id: 'Admin: jejak audit (siapa, kapan, apa)', en: 'Admin: audit log (who, when, what)' },
  tag: 'admin',
  access: { kind: 'roles', roles: ['admin'] },
  query: auditQuerySchema,
  response: auditListSchema,
  matrix: () => ({ query: { limit: '20' } }),
  handler: async ({ deps, scope, query }) => {
    const r = await listAudit(deps.db, scope, query);
    return {
      total: r.total,
      entries: r.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
    };
  },
});

/** The administration routes (accounts and audit log). */
export const ADMIN_ROUTES: AnyRouteDef[] = [listUsersRoute, createUserRoute, getUserRoute, updateUserRoute, resetPasswordRoute, disableUserRoute, auditRoute];
