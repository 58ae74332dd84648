import { sql, type Kysely } from 'kysely';

// Accounts of the server (issue 8): the ten roles of src/auth/access.ts, the scope each role is
// bound to, lockout and password-age bookkeeping, an optional TOTP second factor.
// The role/scope shape is a CHECK on app_user. The facility a kader or puskesmas account points to
// is checked by a deferred constraint trigger, not a foreign key: the demo loader TRUNCATEs
// facility when it replaces the demo, and a foreign key from app_user would force it onto the slow
// row-by-row path (and block it). A scope whose facility has vanished resolves to no region at all
// (src/auth/users.service.ts resolveScope), so a dangling account fails closed.
const ROLES = `'admin', 'provinsi', 'tpps', 'opd', 'puskesmas', 'desa', 'kader', 'tpk', 'csr', 'viewer'`;
const OLD_ROLES = `'admin', 'tpps', 'opd', 'puskesmas', 'kader', 'tpk', 'viewer'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN (${ROLES}));

ALTER TABLE app_user
  ADD COLUMN scope_posyandu_id bigint,
  ADD COLUMN scope_puskesmas_id bigint,
  ADD COLUMN scope_sector text CHECK (scope_sector ~ '^[a-z_]{2,40}$'),
  ADD COLUMN failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  ADD COLUMN locked_until timestamptz,
  ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
  -- AES-256-GCM ciphertext ('v1:' + base64), never returned by the services.
  ADD COLUMN totp_secret text CHECK (totp_secret ~ '^v1:[A-Za-z0-9+/=]{40,}$'),
  ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
  -- The last accepted TOTP time step: a code is accepted once (RFC 6238 §5.2).
  ADD COLUMN totp_last_step bigint,
  ADD COLUMN disabled_at timestamptz,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT app_user_totp CHECK (NOT totp_enabled OR totp_secret IS NOT NULL),
  ADD CONSTRAINT app_user_disabled CHECK (active OR disabled_at IS NOT NULL),
  ADD CONSTRAINT app_user_sector CHECK ((role = 'opd') = (scope_sector IS NOT NULL)),
  ADD CONSTRAINT app_user_scope_shape CHECK (coalesce(CASE role
    WHEN 'admin' THEN scope_region_code IS NULL AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'provinsi' THEN scope_region_code IS NOT NULL AND length(scope_region_code) = 2
      AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'tpps' THEN scope_region_code IS NOT NULL AND length(scope_region_code) = 5
      AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'opd' THEN scope_region_code IS NOT NULL AND length(scope_region_code) = 5
      AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'viewer' THEN scope_region_code IS NOT NULL AND length(scope_region_code) = 5
      AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'desa' THEN scope_region_code IS NOT NULL AND length(scope_region_code) = 13
      AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'tpk' THEN scope_region_code IS NOT NULL AND length(scope_region_code) = 13
      AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'kader' THEN scope_posyandu_id IS NOT NULL AND scope_region_code IS NULL AND scope_puskesmas_id IS NULL
    WHEN 'puskesmas' THEN scope_puskesmas_id IS NOT NULL AND scope_region_code IS NULL AND scope_posyandu_id IS NULL
    WHEN 'csr' THEN scope_region_code IS NULL AND scope_posyandu_id IS NULL AND scope_puskesmas_id IS NULL
  END, false));

-- The desa a CSR partner supports (its scope); one row per desa.
CREATE TABLE app_user_region (
  user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  region_code text NOT NULL REFERENCES region (code)
    CHECK (region_code ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$'),
  PRIMARY KEY (user_id, region_code)
);

CREATE FUNCTION app_user_scope_valid() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  uid bigint;
  u record;
BEGIN
  IF TG_TABLE_NAME = 'app_user' THEN uid := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN uid := OLD.user_id;
  ELSE uid := NEW.user_id;
  END IF;
  SELECT id, role, scope_posyandu_id, scope_puskesmas_id INTO u FROM app_user WHERE id = uid;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF u.scope_posyandu_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM facility WHERE id = u.scope_posyandu_id AND kind = 'posyandu') THEN
    RAISE EXCEPTION 'app_user %: scope_posyandu_id is not a posyandu', uid
      USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_scope_posyandu', TABLE = 'app_user';
  END IF;
  IF u.scope_puskesmas_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM facility WHERE id = u.scope_puskesmas_id AND kind = 'puskesmas') THEN
    RAISE EXCEPTION 'app_user %: scope_puskesmas_id is not a puskesmas', uid
      USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_scope_puskesmas', TABLE = 'app_user';
  END IF;
  IF (u.role = 'csr') <> EXISTS (SELECT 1 FROM app_user_region WHERE user_id = uid) THEN
    RAISE EXCEPTION 'app_user %: only a csr account has, and must have, a desa list', uid
      USING ERRCODE = 'check_violation', CONSTRAINT = 'app_user_region_list', TABLE = 'app_user';
  END IF;
  RETURN NULL;
END $$;
-- Deferred: a user and its desa list are written in one transaction and checked at commit.
CREATE CONSTRAINT TRIGGER app_user_scope_check AFTER INSERT OR UPDATE ON app_user
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_user_scope_valid();
CREATE CONSTRAINT TRIGGER app_user_region_scope_check AFTER INSERT OR UPDATE OR DELETE ON app_user_region
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_user_scope_valid();

CREATE INDEX session_expires_idx ON session (expires_at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at) WHERE user_id IS NOT NULL;
`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Accounts of the new roles cannot exist under the old rule: they are kept, disabled, as viewers
  // (audit_log and import_batch rows still point to them).
  await sql.raw(`
DROP INDEX IF EXISTS audit_log_user_idx;
DROP INDEX IF EXISTS audit_log_at_idx;
DROP INDEX IF EXISTS session_expires_idx;
DROP TRIGGER IF EXISTS app_user_region_scope_check ON app_user_region;
DROP TRIGGER IF EXISTS app_user_scope_check ON app_user;
DROP FUNCTION IF EXISTS app_user_scope_valid();
DROP TABLE IF EXISTS app_user_region;
ALTER TABLE app_user
  DROP CONSTRAINT app_user_scope_shape,
  DROP CONSTRAINT app_user_sector,
  DROP CONSTRAINT app_user_disabled,
  DROP CONSTRAINT app_user_totp,
  DROP CONSTRAINT app_user_role_check;
DELETE FROM session WHERE user_id IN (SELECT id FROM app_user WHERE role NOT IN (${OLD_ROLES}));
UPDATE app_user SET role = 'viewer', active = false WHERE role NOT IN (${OLD_ROLES});
ALTER TABLE app_user
  DROP COLUMN scope_posyandu_id,
  DROP COLUMN scope_puskesmas_id,
  DROP COLUMN scope_sector,
  DROP COLUMN failed_logins,
  DROP COLUMN locked_until,
  DROP COLUMN password_changed_at,
  DROP COLUMN must_change_password,
  DROP COLUMN totp_secret,
  DROP COLUMN totp_enabled,
  DROP COLUMN totp_last_step,
  DROP COLUMN disabled_at,
  DROP COLUMN updated_at,
  ADD CONSTRAINT app_user_role_check CHECK (role IN (${OLD_ROLES}));
`).execute(db);
}
