import { useState } from 'react';
import type { AlertList } from '../../../../src/api/regions.schema.js';
import { sendJson } from '../../api/client.js';
import { PATHS } from '../../api/paths.js';
import { CAN, useSession } from '../../api/session.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { ErrorMessage, Loaded } from '../../components/states.component.js';
import { formatDateTime, formatMonth } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { Link } from '../../router.js';

type AlertRow = AlertList['alerts'][number];
const STATUSES = ['open', 'followed_up', 'closed'] as const;

function FollowUp({ alert, onDone }: { alert: AlertRow; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (status: AlertRow['status']) => {
    setBusy(true);
    setError(null);
    try {
      await sendJson('POST', PATHS.alertFollowUp(alert.id), { status, note: note.trim() || null });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="follow-up">
      <label>
        <span className="visually-hidden">{t('alerts.note')}</span>
        <input placeholder={t('alerts.note')} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {alert.status === 'open' && <button type="button" disabled={busy} onClick={() => save('followed_up')}>{t('alerts.markFollowedUp')}</button>}
      {alert.status !== 'closed' && <button type="button" className="secondary" disabled={busy} onClick={() => save('closed')}>{t('alerts.close')}</button>}
      {error !== null && <ErrorMessage error={error} />}
    </div>
  );
}

/** The by-name alert list of a region or posyandu, with follow-up (personal-data roles only). */
export function AlertListPanel({ code, posyanduId }: { code: string; posyanduId?: number }) {
  const { t, lang, pick } = useI18n();
  const { session } = useSession();
  const [status, setStatus] = useState<AlertRow['status'] | ''>('open');
  const state = useApi<AlertList>(PATHS.alerts(code), { status: status || undefined, posyanduId });
  const canFollow = session ? CAN.personal(session.user.role) : false;
  const columns: Column<AlertRow>[] = [
    { key: 'name', label: t('alerts.name'), value: (r) => r.name, render: (r) => (r.subject === 'child' ? <Link to={`/anak/${r.subjectId}`}>{r.name}</Link> : r.name) },
    { key: 'kind', label: t('alerts.kind'), value: (r) => t(`alertKind.${r.kind}` as MessageKey) },
    { key: 'posyandu', label: t('alerts.posyandu'), value: (r) => r.posyanduName },
    { key: 'age', label: t('alerts.age'), value: (r) => r.ageMonths, numeric: true },
    { key: 'reason', label: t('alerts.reason'), value: (r) => pick(r.reason) },
    { key: 'action', label: t('alerts.action'), value: (r) => pick(r.action) },
    { key: 'status', label: t('alerts.status'), value: (r) => t(`alertStatus.${r.status}` as MessageKey) },
    {
      key: 'followUp', label: t('alerts.followUp'),
      value: (r) => [r.followedUpBy, r.followUpNote].filter(Boolean).join(' — '),
      render: (r) => (
        <>
          {r.followedUpAt && <p className="small">{r.followedUpBy} · {formatDateTime(lang, r.followedUpAt)}{r.followUpNote ? ` — ${r.followUpNote}` : ''}</p>}
          {canFollow && r.status !== 'closed' && <FollowUp alert={r} onDone={state.reload} />}
        </>
      ),
    },
  ];
  return (
    <section className="panel" data-testid="alert-list">
      <h2>{t('alerts.title')}</h2>
      <div className="toolbar">
        <label>
          {t('alerts.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as AlertRow['status'] | '')}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`alertStatus.${s}` as MessageKey)}</option>)}
          </select>
        </label>
        {state.data && <span className="muted">{t('dash.month', { month: formatMonth(lang, state.data.month) })}</span>}
      </div>
      <Loaded state={state}>
        {(d) => <DataTable columns={columns} rows={d.alerts} caption={t('alerts.caption')} fileName="peringatan" rowKey={(r) => r.id} pageSize={25} />}
      </Loaded>
    </section>
  );
}
