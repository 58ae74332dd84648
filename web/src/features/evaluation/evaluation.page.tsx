import { useEffect, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { actionListSchema, barrierListSchema, roundListSchema, type RolesView, type RoundView, type ScorecardView } from '../../../../src/api/evaluation.schema.js';
import { downloadFile, sendJson } from '../../api/client.js';
import { DEFAULT_KABUPATEN, homeRegion } from '../../api/home-region.js';
import { PATHS } from '../../api/paths.js';
import { CAN, useSession } from '../../api/session.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { ErrorMessage, Loaded } from '../../components/states.component.js';
import { formatDate, formatNumber } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { ActionsBoard } from './actions-board.component.js';

type RoundList = z.infer<typeof roundListSchema>;
type BarrierList = z.infer<typeof barrierListSchema>;
type ActionList = z.infer<typeof actionListSchema>;
type ScoreRow = ScorecardView['rows'][number];
const LEVELS = ['kabupaten', 'kecamatan', 'desa'] as const;
const SECTORS = ['hasil', 'kesehatan', 'keluarga_berencana', 'air_sanitasi', 'perlindungan_sosial', 'komunikasi'] as const;
const BARRIER_LEVELS = ['desa', 'kecamatan', 'sektor', 'kabupaten'] as const;

function NewRound({ kabupatenCode, onCreated }: { kabupatenCode: string; onCreated: (id: number) => void }) {
  const { t } = useI18n();
  const year = new Date().getFullYear() - 1;
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<'annual' | 'semester' | 'other'>('annual');
  const [periodStart, setStart] = useState(`${year}-01-01`);
  const [periodEnd, setEnd] = useState(`${year}-12-31`);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await sendJson<RoundView>('POST', PATHS.rounds, { kabupatenCode, title, kind, periodStart, periodEnd });
      onCreated(r.id);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel form inline-form" onSubmit={submit} data-testid="new-round">
      <h2>{t('eval.newRound')}</h2>
      <label>{t('eval.roundTitle')}<input name="roundTitle" value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} /></label>
      <label>{t('eval.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          {(['annual', 'semester', 'other'] as const).map((k) => <option key={k} value={k}>{t(`roundKind.${k}` as MessageKey)}</option>)}
        </select>
      </label>
      <label>{t('eval.periodStart')}<input type="date" value={periodStart} onChange={(e) => setStart(e.target.value)} required /></label>
      <label>{t('eval.periodEnd')}<input type="date" value={periodEnd} onChange={(e) => setEnd(e.target.value)} required /></label>
      <button type="submit">{t('eval.createRound')}</button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}

function Scorecard({ roundId }: { roundId: number }) {
  const { t, lang } = useI18n();
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('kabupaten');
  const [sector, setSector] = useState('');
  const state = useApi<ScorecardView>(PATHS.scorecard(roundId), { level, sector: sector || undefined });
  return (
    <section className="panel" data-testid="scorecard">
      <h2>{t('eval.scorecard')}</h2>
      <div className="toolbar">
        <label>{t('eval.level')}
          <select value={level} onChange={(e) => setLevel(e.target.value as typeof level)}>
            {LEVELS.map((l) => <option key={l} value={l}>{t(`level.${l}` as MessageKey)}</option>)}
          </select>
        </label>
        <label>{t('eval.sector')}
          <select value={sector} onChange={(e) => setSector(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {SECTORS.map((s) => <option key={s} value={s}>{t(`sector.${s}` as MessageKey)}</option>)}
          </select>
        </label>
      </div>
      <Loaded state={state}>
        {(d) => {
          const names = new Map(d.indicators.map((i) => [i.id, lang === 'id' ? i.nameId : i.nameEn]));
          const columns: Column<ScoreRow>[] = [
            { key: 'id', label: t('eval.indicator'), value: (r) => `${r.indicatorId} ${names.get(r.indicatorId) ?? ''}` },
            { key: 'region', label: t('eval.region'), value: (r) => r.regionCode },
            { key: 'sector', label: t('eval.sector'), value: (r) => t(`sector.${r.sector}` as MessageKey) },
            { key: 'value', label: t('eval.value'), value: (r) => r.value, render: (r) => formatNumber(lang, r.value, 1), numeric: true },
            { key: 'target', label: t('eval.target'), value: (r) => r.target, render: (r) => formatNumber(lang, r.target, 1), numeric: true },
            { key: 'status', label: t('eval.status'), value: (r) => r.status, render: (r) => <span className={`badge badge-status-${r.status}`}>{t(`score.${r.status}` as MessageKey)}</span> },
            { key: 'trend', label: t('eval.trend'), value: (r) => t(`trend.${r.trend}` as MessageKey) },
            { key: 'source', label: t('eval.source'), value: (r) => r.source },
          ];
          return (
            <>
              <p className="muted">{t('eval.period', { start: formatDate(lang, d.period.start), end: formatDate(lang, d.period.end), year: d.targetYear })}</p>
              <DataTable columns={columns} rows={d.rows} caption={t('eval.scorecard')} fileName="kartu-skor" rowKey={(r, i) => `${r.indicatorId}-${r.regionCode}-${i}`} pageSize={30} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function Barriers({ roundId, canWrite }: { roundId: number; canWrite: boolean }) {
  const { t } = useI18n();
  const state = useApi<BarrierList>(PATHS.barriers(roundId));
  const [level, setLevel] = useState<(typeof BARRIER_LEVELS)[number]>('kabupaten');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await sendJson('POST', PATHS.barriers(roundId), { level, description });
      setDescription('');
      state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="panel" data-testid="barriers">
      <h2>{t('eval.barriers')}</h2>
      <Loaded state={state}>
        {(d) => (
          <ul className="plain">
            {d.barriers.map((b) => <li key={b.id}><span className="badge">{t(`barrierLevel.${b.level}` as MessageKey)}</span> {b.description}</li>)}
          </ul>
        )}
      </Loaded>
      {canWrite && (
        <form className="form inline-form" onSubmit={submit}>
          <label>{t('eval.level')}
            <select value={level} onChange={(e) => setLevel(e.target.value as typeof level)}>
              {BARRIER_LEVELS.map((l) => <option key={l} value={l}>{t(`barrierLevel.${l}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>{t('eval.barrierText')}<input name="barrier" value={description} onChange={(e) => setDescription(e.target.value)} required minLength={3} /></label>
          <button type="submit">{t('eval.addBarrier')}</button>
          {error !== null && <ErrorMessage error={error} />}
        </form>
      )}
    </section>
  );
}

function Roles({ roundId }: { roundId: number }) {
  const { t } = useI18n();
  const state = useApi<RolesView>(PATHS.roles(roundId));
  type Cell = RolesView['cells'][number];
  const columns: Column<Cell>[] = [
    { key: 'type', label: t('actions.stakeholderType'), value: (c) => t(`stakeholder.${c.stakeholderType}` as MessageKey) },
    { key: 'who', label: t('actions.stakeholderName'), value: (c) => c.stakeholder },
    { key: 'indicator', label: t('eval.indicator'), value: (c) => c.indicatorId },
    { key: 'region', label: t('eval.region'), value: (c) => c.regionCode },
    { key: 'actions', label: t('eval.actionsCount'), value: (c) => c.actions.length, numeric: true },
    { key: 'commitments', label: t('eval.commitments'), value: (c) => c.commitments.length, numeric: true },
  ];
  return (
    <section className="panel" data-testid="roles">
      <h2>{t('eval.roles')}</h2>
      <Loaded state={state}>
        {(d) => (
          <>
            <p className="muted">{t('eval.rolesSummary', { offTrack: d.offTrack, gaps: d.gaps.length })}</p>
            <DataTable columns={columns} rows={d.cells} caption={t('eval.roles')} fileName="matriks-peran" rowKey={(c, i) => `${c.stakeholder}-${c.indicatorId}-${c.regionCode}-${i}`} pageSize={20} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function RoundDetail({ round, canWrite, canProgress }: { round: RoundView; canWrite: boolean; canProgress: boolean }) {
  const { t, lang } = useI18n();
  const actions = useApi<ActionList>(PATHS.actions(round.id));
  const [error, setError] = useState<unknown>(null);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const download = (format: 'pdf' | 'xlsx') => {
    setError(null);
    downloadFile(PATHS.report(round.id), { format }, `evaluasi-${round.id}.${format}`).then(setDownloaded).catch(setError);
  };
  return (
    <>
      <section className="panel">
        <h2>{round.title}</h2>
        <p className="muted">{t('eval.roundFacts', { start: formatDate(lang, round.period.start), end: formatDate(lang, round.period.end), status: t(`roundStatus.${round.status}` as MessageKey) })}</p>
        <div className="buttons">
          <button type="button" onClick={() => download('pdf')}>{t('eval.downloadPdf')}</button>
          <button type="button" onClick={() => download('xlsx')}>{t('eval.downloadXlsx')}</button>
        </div>
        {downloaded && <p className="note" role="status" data-testid="downloaded">{t('eval.downloaded', { file: downloaded })}</p>}
        {error !== null && <ErrorMessage error={error} />}
      </section>
      <Scorecard roundId={round.id} />
      <Barriers roundId={round.id} canWrite={canProgress} />
      <Loaded state={actions}>
        {(a) => <ActionsBoard roundId={round.id} actions={a.actions} canCreate={canWrite} canUpdate={canProgress} onChanged={actions.reload} />}
      </Loaded>
      <Roles roundId={round.id} />
    </>
  );
}

/** Evaluasi: rounds, scorecard, barriers, actions board, roles matrix, report downloads. */
export default function EvaluationPage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const home = session ? homeRegion(session) : DEFAULT_KABUPATEN;
  const kabupatenCode = home.split('.').slice(0, 2).join('.');
  const rounds = useApi<RoundList>(PATHS.rounds, { kabupatenCode });
  const [selected, setSelected] = useState<number | null>(null);
  useEffect(() => {
    if (selected === null && rounds.data?.rounds.length) setSelected(rounds.data.rounds[0].id);
  }, [rounds.data, selected]);
  if (!session) return null;
  const canWrite = CAN.evaluationWrite(session.user.role);
  return (
    <section>
      <h1>{t('eval.title')}</h1>
      <Loaded state={rounds}>
        {(d) => (
          <>
            <div className="toolbar">
              <label>{t('eval.round')}
                <select value={selected ?? ''} onChange={(e) => setSelected(Number(e.target.value) || null)}>
                  <option value="">{t('common.choose')}</option>
                  {d.rounds.map((r) => <option key={r.id} value={r.id}>{r.title} ({formatDate(lang, r.period.start)} – {formatDate(lang, r.period.end)})</option>)}
                </select>
              </label>
            </div>
            {canWrite && <NewRound kabupatenCode={kabupatenCode} onCreated={(id) => { setSelected(id); rounds.reload(); }} />}
            {(() => {
              const round = d.rounds.find((r) => r.id === selected);
              return round ? <RoundDetail key={round.id} round={round} canWrite={canWrite} canProgress={CAN.evaluationProgress(session.user.role)} /> : null;
            })()}
          </>
        )}
      </Loaded>
    </section>
  );
}
