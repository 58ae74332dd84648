import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { auditListSchema, userListSchema, ROLE_NAMES } from '../../../../src/api/auth.schema.js';
import { configSchema, targetListSchema } from '../../../../src/api/evaluation.schema.js';
import { sendJson } from '../../api/client.js';
import { DEFAULT_KABUPATEN } from '../../api/home-region.js';
import { PATHS } from '../../api/paths.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { ErrorMessage, Loaded } from '../../components/states.component.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';

type UserList = z.infer<typeof userListSchema>;
type User = UserList['users'][number];
type AuditList = z.infer<typeof auditListSchema>;
type TargetList = z.infer<typeof targetListSchema>;
type ConfigView = z.infer<typeof configSchema>;
type Tab = 'users' | 'targets' | 'audit';
const SECTORS = ['hasil', 'kesehatan', 'keluarga_berencana', 'air_sanitasi', 'perlindungan_sosial', 'komunikasi'] as const;

function NewUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<(typeof ROLE_NAMES)[number]>('viewer');
  const [regions, setRegions] = useState('');
  const [password, setPassword] = useState('');
  const [facility, setFacility] = useState('');
  const [sector, setSector] = useState('kesehatan');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const regionCodes = regions.split(/[\s,;]+/).filter(Boolean);
      const scope = {
        ...(regionCodes.length ? { regionCodes } : {}),
        ...(role === 'kader' ? { posyanduId: Number(facility) } : {}),
        ...(role === 'puskesmas' ? { puskesmasId: Number(facility) } : {}),
        ...(role === 'opd' ? { sector } : {}),
      };
      await sendJson('POST', PATHS.users, { username, displayName, role, password, mustChangePassword: true, ...scope });
      setUsername(''); setDisplayName(''); setPassword(''); setRegions('');
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="form inline-form" onSubmit={submit}>
      <label>{t('admin.username')}<input value={username} onChange={(e) => setUsername(e.target.value)} required minLength={3} autoComplete="off" /></label>
      <label>{t('admin.displayName')}<input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required /></label>
      <label>{t('admin.role')}
        <select value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
          {ROLE_NAMES.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
        </select>
      </label>
      {role !== 'admin' && role !== 'kader' && role !== 'puskesmas' && <label>{t('admin.regions')}<input value={regions} onChange={(e) => setRegions(e.target.value)} /></label>}
      {(role === 'kader' || role === 'puskesmas') && (
        <label>{t(role === 'kader' ? 'admin.posyanduId' : 'admin.puskesmasId')}<input inputMode="numeric" value={facility} onChange={(e) => setFacility(e.target.value.replace(/\D/g, ''))} required /></label>
      )}
      {role === 'opd' && (
        <label>{t('eval.sector')}
          <select value={sector} onChange={(e) => setSector(e.target.value)}>
            {SECTORS.map((x) => <option key={x} value={x}>{t(`sector.${x}` as MessageKey)}</option>)}
          </select>
        </label>
      )}
      <label>{t('admin.password')}<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" /></label>
      <button type="submit">{t('admin.createUser')}</button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}

function Users() {
  const { t, lang } = useI18n();
  const state = useApi<UserList>(PATHS.users, { limit: 500 });
  const [error, setError] = useState<unknown>(null);
  const toggle = async (u: User) => {
    try {
      await sendJson('PATCH', PATHS.user(u.id), { active: !u.active });
      state.reload();
    } catch (e) {
      setError(e);
    }
  };
  const columns: Column<User>[] = [
    { key: 'username', label: t('admin.username'), value: (u) => u.username },
    { key: 'name', label: t('admin.displayName'), value: (u) => u.displayName },
    { key: 'role', label: t('admin.role'), value: (u) => t(`role.${u.role}` as MessageKey) },
    { key: 'scope', label: t('admin.regions'), value: (u) => [...u.regionCodes, u.posyanduId ? `posyandu ${u.posyanduId}` : '', u.sector ?? ''].filter(Boolean).join(', ') },
    { key: 'totp', label: t('admin.totp'), value: (u) => (u.totpEnabled ? t('common.yes') : t('common.no')) },
    { key: 'last', label: t('admin.lastLogin'), value: (u) => u.lastLoginAt, render: (u) => formatDateTime(lang, u.lastLoginAt) },
    { key: 'active', label: t('admin.active'), value: (u) => (u.active ? t('common.yes') : t('common.no')),
      render: (u) => <button type="button" className="secondary" onClick={() => { void toggle(u); }}>{u.active ? t('admin.disable') : t('admin.enable')}</button> },
  ];
  return (
    <section className="panel" data-testid="users">
      <h2>{t('admin.users')}</h2>
      <NewUser onCreated={state.reload} />
      {error !== null && <ErrorMessage error={error} />}
      <Loaded state={state}>{(d) => <DataTable columns={columns} rows={d.users} caption={t('admin.users')} fileName="pengguna" rowKey={(u) => u.id} />}</Loaded>
    </section>
  );
}

function Targets() {
  const { t, lang } = useI18n();
  const targets = useApi<TargetList>(PATHS.targets, { kabupatenCode: DEFAULT_KABUPATEN });
  const config = useApi<ConfigView>(PATHS.config, { kabupatenCode: DEFAULT_KABUPATEN });
  type Target = TargetList['targets'][number];
  const columns: Column<Target>[] = [
    { key: 'indicator', label: t('eval.indicator'), value: (r) => r.indicatorId },
    { key: 'year', label: t('admin.year'), value: (r) => r.year, numeric: true },
    { key: 'level', label: t('eval.level'), value: (r) => r.level },
    { key: 'region', label: t('eval.region'), value: (r) => r.regionCode },
    { key: 'value', label: t('eval.target'), value: (r) => r.value, render: (r) => formatNumber(lang, r.value, 1), numeric: true },
    { key: 'source', label: t('eval.source'), value: (r) => r.sourceKey },
    { key: 'origin', label: t('admin.origin'), value: (r) => r.origin },
  ];
  return (
    <>
      <section className="panel">
        <h2>{t('admin.targets')}</h2>
        <Loaded state={targets}>{(d) => <DataTable columns={columns} rows={d.targets} caption={t('admin.targets')} fileName="target" rowKey={(r) => r.id} />}</Loaded>
      </section>
      <section className="panel">
        <h2>{t('admin.config')}</h2>
        <Loaded state={config}>{(d) => <pre className="config">{JSON.stringify(d.config, null, 2)}</pre>}</Loaded>
      </section>
    </>
  );
}

function Audit() {
  const { t, lang } = useI18n();
  const [entity, setEntity] = useState('');
  const state = useApi<AuditList>(PATHS.audit, { limit: 200, entity: entity || undefined });
  type Entry = AuditList['entries'][number];
  const columns: Column<Entry>[] = [
    { key: 'at', label: t('admin.at'), value: (e) => e.at, render: (e) => formatDateTime(lang, e.at) },
    { key: 'user', label: t('admin.username'), value: (e) => e.username },
    { key: 'action', label: t('admin.action'), value: (e) => e.action },
    { key: 'entity', label: t('admin.entity'), value: (e) => `${e.entity}${e.entityId ? ` #${e.entityId}` : ''}` },
    { key: 'region', label: t('eval.region'), value: (e) => e.kabupatenCode },
    { key: 'request', label: t('admin.request'), value: (e) => e.requestId },
  ];
  return (
    <section className="panel" data-testid="audit">
      <h2>{t('admin.audit')}</h2>
      <label>{t('admin.entity')}<input value={entity} onChange={(e) => setEntity(e.target.value)} /></label>
      <Loaded state={state}>{(d) => <DataTable columns={columns} rows={d.entries} caption={t('admin.audit')} fileName="log-audit" rowKey={(e) => e.id} />}</Loaded>
    </section>
  );
}

/** Admin: accounts with roles and scopes, targets and configuration, the audit log. */
export default function AdminPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('users');
  const tabs: Tab[] = ['users', 'targets', 'audit'];
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <div className="tabs" role="tablist" aria-label={t('admin.title')}>
        {tabs.map((x) => (
          <button key={x} type="button" role="tab" aria-selected={tab === x} onClick={() => setTab(x)}>{t(`admin.${x}` as MessageKey)}</button>
        ))}
      </div>
      {tab === 'users' && <Users />}
      {tab === 'targets' && <Targets />}
      {tab === 'audit' && <Audit />}
    </section>
  );
}
