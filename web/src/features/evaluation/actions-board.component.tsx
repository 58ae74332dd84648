import { useMemo, useState, type FormEvent } from 'react';
import type { ActionView } from '../../../../src/api/evaluation.schema.js';
import { sendJson } from '../../api/client.js';
import { PATHS } from '../../api/paths.js';
import { ErrorMessage } from '../../components/states.component.js';
import { formatDate, todayJakarta } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';

const STATUSES = ['direncanakan', 'berjalan', 'terlambat', 'selesai', 'dibatalkan'] as const;
const STAKEHOLDERS = ['opd', 'pkk', 'tpk', 'kader', 'nakes', 'pemdes', 'csr', 'lainnya'] as const;
type Settable = 'direncanakan' | 'berjalan' | 'selesai' | 'dibatalkan';

function ActionCard({ a, canWrite, onChanged }: { a: ActionView; canWrite: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const setStatus = async (status: Settable) => {
    try {
      await sendJson('PATCH', PATHS.action(a.id), { status });
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li className="action-card" data-testid={`action-${a.id}`}>
      <strong>{a.title}</strong>
      <span className="small">{t(`stakeholder.${a.stakeholderType}` as MessageKey)}{a.stakeholderName ? ` · ${a.stakeholderName}` : ''} · {a.owner}</span>
      <span className={`small ${a.daysOverdue > 0 ? 'overdue' : ''}`}>
        {t('actions.due', { date: formatDate(lang, a.dueOn) })}{a.daysOverdue > 0 && ` · ${t('actions.overdueDays', { days: a.daysOverdue })}`}
      </span>
      {canWrite && a.status !== 'selesai' && a.status !== 'dibatalkan' && (
        <label className="small">
          {t('actions.changeStatus')}
          <select value="" onChange={(e) => { if (e.target.value) void setStatus(e.target.value as Settable); }}>
            <option value="">{t('common.choose')}</option>
            {(['berjalan', 'selesai', 'dibatalkan'] as const).filter((s) => s !== a.status).map((s) => <option key={s} value={s}>{t(`actionStatus.${s}` as MessageKey)}</option>)}
          </select>
        </label>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </li>
  );
}

function NewAction({ roundId, onCreated }: { roundId: number; onCreated: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [stakeholderType, setStakeholderType] = useState<(typeof STAKEHOLDERS)[number]>('opd');
  const [stakeholderName, setStakeholderName] = useState('');
  const [owner, setOwner] = useState('');
  const [dueOn, setDueOn] = useState(todayJakarta());
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await sendJson('POST', PATHS.actions(roundId), { title, stakeholderType, stakeholderName: stakeholderName || null, owner, dueOn });
      setTitle('');
      setOwner('');
      setStakeholderName('');
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="form inline-form" onSubmit={submit} data-testid="new-action">
      <label>{t('actions.titleField')}<input name="actionTitle" value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} /></label>
      <label>{t('actions.stakeholderType')}
        <select name="stakeholderType" value={stakeholderType} onChange={(e) => setStakeholderType(e.target.value as (typeof STAKEHOLDERS)[number])}>
          {STAKEHOLDERS.map((s) => <option key={s} value={s}>{t(`stakeholder.${s}` as MessageKey)}</option>)}
        </select>
      </label>
      <label>{t('actions.stakeholderName')}<input name="stakeholderName" value={stakeholderName} onChange={(e) => setStakeholderName(e.target.value)} /></label>
      <label>{t('actions.owner')}<input name="owner" value={owner} onChange={(e) => setOwner(e.target.value)} required /></label>
      <label>{t('actions.dueOn')}<input name="dueOn" type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} required /></label>
      <button type="submit">{t('actions.add')}</button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}

/** The follow-up actions board: a column per status, filtered by stakeholder, sorted by due date. */
export function ActionsBoard({ roundId, actions, canCreate, canUpdate, onChanged }: { roundId: number; actions: ActionView[]; canCreate: boolean; canUpdate: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [stakeholder, setStakeholder] = useState('');
  const byStatus = useMemo(() => {
    const shown = actions.filter((a) => !stakeholder || a.stakeholderType === stakeholder).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    return STATUSES.map((s) => ({ status: s, items: shown.filter((a) => a.status === s) }));
  }, [actions, stakeholder]);
  return (
    <section className="panel" data-testid="actions-board">
      <h2>{t('actions.title')}</h2>
      <div className="toolbar">
        <label>
          {t('actions.stakeholderType')}
          <select value={stakeholder} onChange={(e) => setStakeholder(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {STAKEHOLDERS.map((s) => <option key={s} value={s}>{t(`stakeholder.${s}` as MessageKey)}</option>)}
          </select>
        </label>
      </div>
      {canCreate && <NewAction roundId={roundId} onCreated={onChanged} />}
      <div className="board">
        {byStatus.map((col) => (
          <div key={col.status} className="board-col">
            <h3>{t(`actionStatus.${col.status}` as MessageKey)} ({col.items.length})</h3>
            <ul>{col.items.map((a) => <ActionCard key={a.id} a={a} canWrite={canUpdate} onChanged={onChanged} />)}</ul>
          </div>
        ))}
      </div>
    </section>
  );
}
