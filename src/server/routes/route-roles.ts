import { DATA_ENTRY_ROLES, PERSONAL_DATA_ROLES, ROLES, type Role } from '../../auth/access.js';

/** Every role: aggregates of the caller's own regions. */
export const ALL_ROLES: readonly Role[] = ROLES;
/** Roles that may see names, NIK last digits and birth dates. */
export const PERSONAL_ROLES: readonly Role[] = PERSONAL_DATA_ROLES;
/** Roles that enter and correct measurements and children. */
export const ENTRY_ROLES: readonly Role[] = DATA_ENTRY_ROLES;
/** Roles bound to a whole kabupaten (or more): district-level evaluation and imports. */
export const DISTRICT_READ_ROLES: readonly Role[] = ['admin', 'provinsi', 'tpps', 'opd', 'viewer'];
/** The district secretariat and the administrator. */
export const DISTRICT_WRITE_ROLES: readonly Role[] = ['admin', 'tpps'];
