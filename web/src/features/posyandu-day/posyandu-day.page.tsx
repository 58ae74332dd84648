import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { PosyanduChildren } from '../../../../src/api/posyandu.schema.js';
import type { PosyanduList } from '../../../../src/api/regions.schema.js';
import { ApiError, getJson } from '../../api/client.js';
import { homeRegion } from '../../api/home-region.js';
import { PATHS } from '../../api/paths.js';
import { useSession } from '../../api/session.js';
import { ErrorMessage, Loading } from '../../components/states.component.js';
import { formatDate, formatNumber, formatZ, parseLocaleDecimal, todayJakarta } from '../../format.js';
import { loadGrowth, type BrowserGrowth } from '../../growth/who-engine.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { cacheGet, cachePut } from '../../offline/idb.js';
import { discard, enqueue, listOutbox, onOutboxChange, retry, syncOutbox, type OutboxEntry } from '../../offline/outbox.js';
import { Link, navigate, useLocation } from '../../router.js';
import { isAlarming, previewEntry, type EntryValues } from './preview.js';

type ChildRow = PosyanduChildren['children'][number] & { localId?: string };

interface Draft {
  weight: string;
  lenhei: string;
  position: 'L' | 'H' | '';
  muac: string;
  oedema: boolean;
}

const EMPTY: Draft = { weight: '', lenhei: '', position: '', muac: '', oedema: false };

function numberOrNull(text: string): number | null {
  const v = parseLocaleDecimal(text);
  return Number.isFinite(v) ? v : null;
}

function valuesOf(d: Draft): EntryValues {
  return { weightKg: numberOrNull(d.weight), lenheiCm: numberOrNull(d.lenhei), position: d.position || null, muacCm: numberOrNull(d.muac), oedema: d.oedema };
}

function badNumber(text: string): boolean {
  return text.trim() !== '' && !Number.isFinite(parseLocaleDecimal(text));
}

/** One child's entry: inputs, the instant preview and the save with its confirmation of warnings. */
function ChildEntry({ child, date, growth, saved, onSave, autoFocus }: {
  child: ChildRow;
  date: string;
  growth: BrowserGrowth | null;
  saved: boolean;
  onSave: (child: ChildRow, v: EntryValues) => Promise<void>;
  autoFocus: boolean;
}) {
  const { t, lang, pick } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => ({ ...EMPTY, position: child.ageMonths < 24 ? 'L' : 'H' }));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const weightRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) weightRef.current?.focus();
  }, [autoFocus]);
  const values = valuesOf(draft);
  const previous = child.last ? { measuredOn: child.last.measuredOn, weightKg: child.last.weightKg, lenheiCm: child.last.lenheiCm } : null;
  const preview = useMemo(
    () => (growth && (values.weightKg !== null || values.lenheiCm !== null) ? previewEntry(growth, child, date, values, previous) : null),
    [growth, child, date, draft],
  );
  const malformed = badNumber(draft.weight) || badNumber(draft.lenhei) || badNumber(draft.muac);
  const empty = values.weightKg === null && values.lenheiCm === null && values.muacCm === null;
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setConfirming(false);
  };
  const id = `c${child.id}`;

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (malformed || empty || busy) return;
    if (preview && preview.warnings.length > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    try {
      await onSave(child, values);
      setDraft({ ...EMPTY, position: draft.position });
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <form className={`entry ${saved ? 'entry-saved' : ''}`} onSubmit={submit} onKeyDown={onKey} data-testid={`entry-${child.name}`} aria-labelledby={`${id}-name`}>
      <div className="entry-head">
        <h3 id={`${id}-name`}>{child.name}</h3>
        <span className="muted">
          {t(child.sex === 1 ? 'child.sexM' : 'child.sexF')} · {t('day.ageMonths', { months: child.ageMonths })}
          {child.last && <> · {t('day.last', { date: formatDate(lang, child.last.measuredOn), weight: formatNumber(lang, child.last.weightKg, 1) })}</>}
        </span>
        {saved && <span className="badge badge-good">{t('day.saved')}</span>}
        {child.localId && <span className="badge badge-fair">{t('day.newChild')}</span>}
      </div>
      <div className="entry-inputs">
        <label>
          {t('day.weight')}
          <input ref={weightRef} name="weight" inputMode="decimal" autoComplete="off" value={draft.weight} aria-invalid={badNumber(draft.weight)} onChange={(e) => set({ weight: e.target.value })} />
        </label>
        <label>
          {t('day.lenhei')}
          <input name="lenhei" inputMode="decimal" autoComplete="off" value={draft.lenhei} aria-invalid={badNumber(draft.lenhei)} onChange={(e) => set({ lenhei: e.target.value })} />
        </label>
        <label>
          {t('day.position')}
          <select name="position" value={draft.position} onChange={(e) => set({ position: e.target.value as Draft['position'] })}>
            <option value="">{t('day.positionUnknown')}</option>
            <option value="L">{t('day.positionL')}</option>
            <option value="H">{t('day.positionH')}</option>
          </select>
        </label>
        <label>
          {t('day.muac')}
          <input name="muac" inputMode="decimal" autoComplete="off" value={draft.muac} aria-invalid={badNumber(draft.muac)} onChange={(e) => set({ muac: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" name="oedema" checked={draft.oedema} onChange={(e) => set({ oedema: e.target.checked })} />
          {t('day.oedema')}
        </label>
      </div>
      {malformed && <p className="warn" role="alert">{t('day.warn.notNumber')}</p>}
      {preview && (
        <div className="preview" aria-live="polite" data-testid="preview">
          <ul className="z-list">
            {preview.statuses.map((s) => (
              <li key={s.index} className={isAlarming(s.status?.code) ? 'alarm' : undefined}>
                <span className="z-label">{t(`index.${s.index}` as MessageKey)}</span>
                <span className="z-value">{formatZ(lang, s.z)}</span>
                <span className="z-status">{s.status ? pick(s.status) : '–'}</span>
              </li>
            ))}
          </ul>
          {preview.gain && preview.gain.code && (
            <p className={`gain gain-${preview.gain.code}`} data-testid="gain">
              <strong>{preview.gain.code}</strong> — {pick(preview.gain.reason)}
            </p>
          )}
          {preview.warnings.length > 0 && (
            <ul className="warnings" role="alert">
              {preview.warnings.map((w, i) => <li key={i}>{w.key ? t(w.key, w.params) : pick(w.message)}</li>)}
            </ul>
          )}
        </div>
      )}
      <div className="entry-actions">
        {confirming && <p className="warn">{t('day.confirmWarnings')}</p>}
        <button type="submit" disabled={malformed || empty || busy}>{confirming ? t('day.saveAnyway') : t('day.save')}</button>
        {!child.localId && <Link to={`/anak/${child.id}`} className="small">{t('day.openChild')}</Link>}
      </div>
    </form>
  );
}

function RegisterChild({ desaCode, posyanduId, onQueued }: { desaCode: string; posyanduId: number; onQueued: (child: ChildRow) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [sex, setSex] = useState<'1' | '2' | ''>('');
  const [birthDate, setBirthDate] = useState('');
  const [mother, setMother] = useState('');
  const [nik, setNik] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) return <button type="button" className="secondary" onClick={() => setOpen(true)}>{t('day.register')}</button>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !sex || !birthDate) return setError(t('day.registerMissing'));
    if (birthDate > todayJakarta()) return setError(t('day.registerFuture'));
    if (nik && !/^\d{16}$/.test(nik)) return setError(t('day.registerNik'));
    const localId = crypto.randomUUID();
    await enqueue({
      localId, label: name.trim(), method: 'POST', path: PATHS.children,
      body: { desaCode, posyanduId, name: name.trim(), sex: Number(sex), birthDate, motherName: mother.trim() || null, nik: nik || null },
    });
    const ms = new Date(`${todayJakarta()}T00:00:00Z`).getTime() - new Date(`${birthDate}T00:00:00Z`).getTime();
    onQueued({
      id: -Date.now(), localId, name: name.trim(), sex: Number(sex) as 1 | 2, birthDate, ageMonths: Math.max(0, Math.floor(ms / (30.4375 * 86_400_000))),
      motherName: mother.trim() || null, nikLast4: nik ? nik.slice(-4) : null, last: null, measuredOnDate: false,
    });
    setOpen(false);
    setName(''); setSex(''); setBirthDate(''); setMother(''); setNik(''); setError(null);
  };
  return (
    <form className="panel form register" onSubmit={submit} data-testid="register-child">
      <h2>{t('day.register')}</h2>
      <label>{t('child.name')}<input name="childName" value={name} onChange={(e) => setName(e.target.value)} required /></label>
      <label>{t('child.sex')}
        <select name="sex" value={sex} onChange={(e) => setSex(e.target.value as '1' | '2' | '')} required>
          <option value="">{t('common.choose')}</option>
          <option value="1">{t('child.sexM')}</option>
          <option value="2">{t('child.sexF')}</option>
        </select>
      </label>
      <label>{t('child.birthDate')}<input name="birthDate" type="date" value={birthDate} max={todayJakarta()} onChange={(e) => setBirthDate(e.target.value)} required /></label>
      <label>{t('child.mother')}<input name="motherName" value={mother} onChange={(e) => setMother(e.target.value)} /></label>
      <label>{t('child.nik')}<input name="nik" inputMode="numeric" value={nik} onChange={(e) => setNik(e.target.value.replace(/\D/g, ''))} /></label>
      {error && <p className="warn" role="alert">{error}</p>}
      <div className="entry-actions">
        <button type="submit">{t('day.registerSave')}</button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function OutboxPanel({ entries }: { entries: OutboxEntry[] }) {
  const { t, lang, pick } = useI18n();
  if (entries.length === 0) return null;
  return (
    <section className="panel outbox" data-testid="outbox">
      <h2>{t('outbox.title', { count: entries.length })}</h2>
      <p className="muted">{t('outbox.explain')}</p>
      <ul>
        {entries.map((e) => (
          <li key={e.localId} className={`outbox-${e.status}`}>
            <span>{e.label} · {formatDate(lang, (e.body as { measuredOn?: string }).measuredOn ?? e.createdAt.slice(0, 10))}</span>
            <span className={`badge badge-${e.status === 'pending' ? 'fair' : 'poor'}`}>{t(`outbox.status.${e.status}` as MessageKey)}</span>
            {e.message && <span className="small">{pick(e.message)}</span>}
            {e.status !== 'pending' && (
              <>
                <button type="button" className="secondary" onClick={() => { void retry(e.localId).then(() => syncOutbox()); }}>{t('outbox.retry')}</button>
                <button type="button" className="secondary" onClick={() => { if (confirm(t('outbox.confirmDiscard'))) void discard(e.localId); }}>{t('outbox.discard')}</button>
              </>
            )}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => { void syncOutbox(); }}>{t('outbox.syncNow')}</button>
    </section>
  );
}

/** Hari posyandu: the kader's data entry for one posyandu and date, offline-first. */
export default function PosyanduDayPage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const { query } = useLocation();
  const [posyanduList, setPosyanduList] = useState<PosyanduList['posyandu'] | null>(null);
  const [posyanduId, setPosyanduId] = useState<number | null>(() => Number(query.get('posyandu')) || session?.scope.posyanduId || null);
  const [date, setDate] = useState(() => query.get('tanggal') ?? todayJakarta());
  const [data, setData] = useState<PosyanduChildren | null>(null);
  const [fromCache, setFromCache] = useState(false);
  const [extra, setExtra] = useState<ChildRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [growth, setGrowth] = useState<BrowserGrowth | null>(null);
  const [savedIds, setSavedIds] = useState<Set<number>>(new Set());
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [focusIndex, setFocusIndex] = useState(-1);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    loadGrowth().then(setGrowth).catch(setError);
  }, []);

  useEffect(() => {
    const refresh = () => { listOutbox().then(setEntries).catch(() => undefined); };
    refresh();
    return onOutboxChange(refresh);
  }, []);

  useEffect(() => {
    if (!session) return;
    const key = `posyandu-list:${session.user.id}`;
    // A puskesmas serves several desa: their posyandu together.
    const codes = session.scope.regionCodes && session.scope.regionCodes.length > 1 ? session.scope.regionCodes : [homeRegion(session)];
    Promise.all(codes.map((c) => getJson<PosyanduList>(PATHS.posyanduOfRegion(c))))
      .then((all) => {
        const list = all.flatMap((d) => d.posyandu).sort((a, b) => a.desaName.localeCompare(b.desaName) || a.name.localeCompare(b.name));
        setPosyanduList(list);
        void cachePut(key, list);
      })
      .catch(async (e: unknown) => {
        const cached = await cacheGet<PosyanduList['posyandu']>(key);
        if (cached) setPosyanduList(cached);
        else setError(e);
      });
  }, [session]);

  useEffect(() => {
    if (posyanduId === null && posyanduList?.length === 1) setPosyanduId(posyanduList[0].id);
  }, [posyanduList, posyanduId]);

  const loadChildren = useCallback(async () => {
    if (posyanduId === null) return;
    const key = `posyandu-children:${posyanduId}:${date}`;
    setError(null);
    try {
      const d = await getJson<PosyanduChildren>(PATHS.posyanduChildren(posyanduId), { date });
      setData(d);
      setFromCache(false);
      await cachePut(key, d);
      await cachePut(`posyandu-children:${posyanduId}:latest`, d);
    } catch (e) {
      if (e instanceof ApiError && e.isNetwork) {
        const cached = (await cacheGet<PosyanduChildren>(key)) ?? (await cacheGet<PosyanduChildren>(`posyandu-children:${posyanduId}:latest`));
        if (cached) {
          setData(cached);
          setFromCache(true);
          return;
        }
      }
      setError(e);
    }
  }, [posyanduId, date]);

  useEffect(() => {
    setSavedIds(new Set());
    void loadChildren();
  }, [loadChildren]);

  useEffect(() => {
    const up = () => {
      void syncOutbox().then((s) => {
        if (s.sent > 0) {
          setMessage(t('day.synced', { count: s.sent }));
          void loadChildren();
        }
      });
    };
    window.addEventListener('online', up);
    return () => window.removeEventListener('online', up);
  }, [loadChildren, t]);

  const children: ChildRow[] = useMemo(() => [...(data?.children ?? []), ...extra], [data, extra]);

  const save = async (child: ChildRow, v: EntryValues) => {
    const body = { childId: child.localId ? undefined : child.id, measuredOn: date, weightKg: v.weightKg, lenheiCm: v.lenheiCm, position: v.position, oedema: v.oedema, muacCm: v.muacCm };
    await enqueue({ label: child.name, method: 'POST', path: PATHS.measurements, body, dependsOn: child.localId });
    setSavedIds((s) => new Set(s).add(child.id));
    const index = children.findIndex((c) => c.id === child.id);
    setFocusIndex(index + 1);
    if (navigator.onLine) {
      const s = await syncOutbox();
      setMessage(s.offline ? t('day.queued') : s.conflicts + s.rejected > 0 ? t('day.problems', { count: s.conflicts + s.rejected }) : t('day.sent'));
    } else setMessage(t('day.queued'));
  };

  if (!session) return null;
  return (
    <section className="day">
      <h1>{t('day.title')}</h1>
      <div className="toolbar">
        <label>
          {t('day.posyandu')}
          <select value={posyanduId ?? ''} onChange={(e) => { const v = Number(e.target.value) || null; setPosyanduId(v); setExtra([]); navigate(`/hari-posyandu${v ? `?posyandu=${v}` : ''}`, true); }}>
            <option value="">{t('common.choose')}</option>
            {(posyanduList ?? []).map((p) => <option key={p.id} value={p.id}>{p.name} — {p.desaName}</option>)}
          </select>
        </label>
        <label>
          {t('day.date')}
          <input type="date" value={date} max={todayJakarta()} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </label>
        <span className="muted">{formatDate(lang, date)}</span>
      </div>
      {!growth && <p className="muted">{t('day.loadingEngine')}</p>}
      {fromCache && <p className="warn">{t('day.fromCache')}</p>}
      {message && <p className="note" role="status" data-testid="day-message">{message}</p>}
      {error !== null && <ErrorMessage error={error} />}
      <OutboxPanel entries={entries} />
      {posyanduId === null ? <p className="muted">{t('day.choosePosyandu')}</p> : data === null ? (error === null && <Loading />) : (
        <>
          <p className="muted">{t('day.count', { count: children.length, saved: savedIds.size })}</p>
          <div className="entries">
            {children.map((c, i) => (
              <ChildEntry key={c.localId ?? c.id} child={c} date={date} growth={growth} saved={savedIds.has(c.id) || c.measuredOnDate} onSave={save} autoFocus={i === focusIndex} />
            ))}
          </div>
          <RegisterChild desaCode={data.posyandu.desaCode} posyanduId={data.posyandu.id} onQueued={(c) => setExtra((x) => [...x, c])} />
        </>
      )}
    </section>
  );
}
