import type { Session } from './session.js';

/** The default kabupaten of an installation-wide account (the first district of Tumbuh). */
export const DEFAULT_KABUPATEN = '62.01';

/**
 * The region a user's Beranda opens on: their own region; for a list of desa (a puskesmas
 * catchment, a CSR partner) the first of them — the server only answers for regions wholly inside
 * the caller's scope, and the Beranda offers the others in a picker.
 */
export function homeRegion(session: Session): string {
  const codes = session.scope.regionCodes;
  if (!codes || codes.length === 0) return DEFAULT_KABUPATEN;
  const sorted = [...codes].sort();
  return sorted[0].split('.').length < 2 ? DEFAULT_KABUPATEN : sorted[0];
}

/** The level of a Kemendagri code by its number of parts. */
export function levelOf(code: string): 'provinsi' | 'kabupaten' | 'kecamatan' | 'desa' {
  const n = code.split('.').length;
  return n === 1 ? 'provinsi' : n === 2 ? 'kabupaten' : n === 3 ? 'kecamatan' : 'desa';
}
