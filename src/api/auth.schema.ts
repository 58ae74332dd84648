/**
 * Schemas of the accounts API (login, session, own password, TOTP) and of the administration API
 * (accounts, audit log). Pure zod: the web app imports this file too.
 */
import { z } from 'zod';

export const ROLE_NAMES = ['admin', 'provinsi', 'tpps', 'opd', 'puskesmas', 'desa', 'kader', 'tpk', 'csr', 'viewer'] as const;
export const roleSchema = z.enum(ROLE_NAMES);

export const loginRequestSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** Six digits from the authenticator app, when the account has TOTP. */
  totpCode: z.string().regex(/^\d{6}$/).optional(),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** What the caller may see, without listing personal data. */
export const scopeSummarySchema = z.object({
  /** null = the whole installation. */
  regionCodes: z.array(z.string()).nullable(),
  posyanduId: z.number().int().nullable(),
  puskesmasId: z.number().int().nullable(),
  sector: z.string().nullable(),
  personalData: z.boolean(),
});

export const meSchema = z.object({
  user: z.object({ id: z.number().int(), username: z.string(), displayName: z.string(), role: roleSchema }),
  scope: scopeSummarySchema,
  /** Send it back in the x-csrf-token header of every state-changing request. */
  csrfToken: z.string(),
  mustChangePassword: z.boolean(),
  /** ISO timestamps. */
  expiresAt: z.string(),
  idleExpiresAt: z.string(),
});
export type Me = z.infer<typeof meSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordSchema>;

export const totpEnrolSchema = z.object({
  /** otpauth:// URI for the authenticator app (shown once as text or QR code). */
  otpauthUri: z.string(),
  /** The base32 secret, for typing into the app by hand. */
  secret: z.string(),
});
export const totpConfirmSchema = z.object({ code: z.string().regex(/^\d{6}$/) });

export const userViewSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  regionCodes: z.array(z.string()),
  posyanduId: z.number().int().nullable(),
  puskesmasId: z.number().int().nullable(),
  sector: z.string().nullable(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  failedLogins: z.number().int(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  passwordChangedAt: z.string(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type UserViewResponse = z.infer<typeof userViewSchema>;

const userScopeFields = {
  regionCodes: z.array(z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/)).max(500).optional(),
  posyanduId: z.number().int().positive().nullable().optional(),
  puskesmasId: z.number().int().positive().nullable().optional(),
  sector: z.string().max(40).nullable().optional(),
};

export const createUserSchema = z.object({
  username: z.string().trim().min(3).max(64),
  displayName: z.string().trim().min(1).max(120),
  role: roleSchema,
  password: z.string().min(1).max(256),
  mustChangePassword: z.boolean().optional(),
  ...userScopeFields,
});
export type CreateUserRequest = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.object({
  displayName: z.string().trim().min(1).max(120).optional(),
  role: roleSchema.optional(),
  active: z.boolean().optional(),
  ...userScopeFields,
});
export type UpdateUserRequest = z.infer<typeof updateUserSchema>;

export const resetPasswordSchema = z.object({
  password: z.string().min(1).max(256),
  mustChangePassword: z.boolean().optional(),
});

export const listUsersQuerySchema = z.object({
  role: roleSchema.optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  username: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const userListSchema = z.object({ total: z.number().int(), users: z.array(userViewSchema) });

export const auditQuerySchema = z.object({
  /** yyyy-mm-dd, inclusive. */
  from: z.iso.date().transform((d) => new Date(`${d}T00:00:00Z`)).optional(),
  /** yyyy-mm-dd, exclusive. */
  to: z.iso.date().transform((d) => new Date(`${d}T00:00:00Z`)).optional(),
  userId: z.coerce.number().int().positive().optional(),
  entity: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  requestId: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  kabupatenCode: z.string().nullable(),
  details: z.unknown(),
});
export const auditListSchema = z.object({ total: z.number().int(), entries: z.array(auditEntrySchema) });
