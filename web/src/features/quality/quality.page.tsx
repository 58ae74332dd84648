import { useState } from 'react';
import type { DuplicateList, QualityRanking } from '../../../../src/api/quality.schema.js';
import { sendJson } from '../../api/client.js';
import { homeRegion } from '../../api/home-region.js';
import { PATHS } from '../../api/paths.js';
import { CAN, useSession } from '../../api/session.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { ErrorMessage, Loaded } from '../../components/states.component.js';
import { formatDate, formatMonth, formatNumber } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { ValidityBadge } from '../dashboard/region-overview.component.js';

type RankRow = QualityRanking['rows'][number];
type Candidate = DuplicateList['candidates'][number];

function badgeOf(score: number | null, threshold: number): string {
  if (score === null) return 'unscored';
  return score >= 90 ? 'good' : score >= threshold ? 'fair' : 'poor';
}

function Ranking({ code }: { code: string }) {
  const { t, lang, pick } = useI18n();
  const state = useApi<QualityRanking>(PATHS.quality(code));
  return (
    <section className="panel" data-testid="quality-ranking">
      <h2>{t('quality.ranking')}</h2>
      <Loaded state={state}>
        {(d) => {
          const columns: Column<RankRow>[] = [
            { key: 'rank', label: t('priority.rank'), value: (r) => r.rank, numeric: true },
            { key: 'posyandu', label: t('skdn.posyandu'), value: (r) => r.posyandu, render: (r) => <Link to={`/posyandu/${r.posyanduId}`}>{r.posyandu}</Link> },
            { key: 'desa', label: t('priority.desa'), value: (r) => r.desa },
            { key: 'puskesmas', label: t('quality.puskesmas'), value: (r) => r.puskesmas },
            { key: 'score', label: t('validity.badge'), value: (r) => r.score, render: (r) => <ValidityBadge badge={badgeOf(r.score, d.threshold)} score={r.score} />, numeric: true },
            { key: 'children', label: t('validity.children'), value: (r) => r.children, render: (r) => formatNumber(lang, r.children), numeric: true },
            { key: 'dups', label: t('quality.duplicates'), value: (r) => r.duplicateRecords, numeric: true },
            { key: 'eppgbm', label: t('quality.eppgbm'), value: (r) => r.eppgbmDisagreements, numeric: true },
            {
              key: 'problems', label: t('quality.problemsFixes'),
              value: (r) => r.problems.map((p) => `${pick(p.problem)} → ${pick(p.fix)}`).join('; '),
              render: (r) => <ul className="reasons">{r.problems.map((p, i) => <li key={i}>{pick(p.problem)} <span className="fix">→ {pick(p.fix)}</span></li>)}</ul>,
            },
          ];
          return (
            <>
              <p className="muted">{t('quality.month', { month: formatMonth(lang, d.month), threshold: formatNumber(lang, d.threshold) })}</p>
              <DataTable columns={columns} rows={d.rows} caption={t('quality.ranking')} fileName="validitas-posyandu" rowKey={(r) => r.posyanduId} pageSize={25} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function Duplicates({ code, canMerge }: { code: string; canMerge: boolean }) {
  const { t, lang } = useI18n();
  const state = useApi<DuplicateList>(PATHS.duplicates(code), { status: 'usulan' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = async (run: () => Promise<unknown>, message: string) => {
    setError(null);
    try {
      await run();
      setDone(message);
      state.reload();
    } catch (e) {
      setError(e);
    }
  };
  const person = (name: string, birth: string, mother: string | null, n: number, id: number) => (
    <span><Link to={`/anak/${id}`}>{name}</Link> · {formatDate(lang, birth)}{mother ? ` · ${mother}` : ''} · {t('quality.measurementsN', { n })}</span>
  );
  const columns: Column<Candidate>[] = [
    { key: 'a', label: t('quality.childA'), value: (c) => c.nameA, render: (c) => person(c.nameA, c.birthA, c.motherA, c.measurementsA, c.childA) },
    { key: 'b', label: t('quality.childB'), value: (c) => c.nameB, render: (c) => person(c.nameB, c.birthB, c.motherB, c.measurementsB, c.childB) },
    { key: 'score', label: t('quality.score'), value: (c) => c.score, render: (c) => formatNumber(lang, c.score, 2), numeric: true },
    { key: 'reasons', label: t('quality.reasons'), value: (c) => c.reasons.join('; ') },
    {
      key: 'act', label: t('quality.decide'), value: (c) => c.status,
      render: (c) => (canMerge && c.status === 'usulan' ? (
        <div className="buttons">
          <button type="button" onClick={() => act(() => sendJson('POST', PATHS.merge, { survivorId: c.childA, mergedId: c.childB }), t('quality.merged'))}>{t('quality.keepA')}</button>
          <button type="button" onClick={() => act(() => sendJson('POST', PATHS.merge, { survivorId: c.childB, mergedId: c.childA }), t('quality.merged'))}>{t('quality.keepB')}</button>
        </div>
      ) : t(`duplicateStatus.${c.status}` as MessageKey)),
    },
  ];
  return (
    <section className="panel" data-testid="duplicates">
      <h2>{t('quality.duplicatesTitle')}</h2>
      {done && <p className="note" role="status">{done}</p>}
      {error !== null && <ErrorMessage error={error} />}
      <Loaded state={state}>
        {(d) => <DataTable columns={columns} rows={d.candidates} caption={t('quality.duplicatesTitle')} fileName="calon-duplikat" rowKey={(c) => c.id} pageSize={20} />}
      </Loaded>
    </section>
  );
}

/** Kualitas data: posyandu validity ranking with problems and fixes; duplicate review and merge. */
export default function QualityPage() {
  const { t } = useI18n();
  const { session } = useSession();
  if (!session) return null;
  const code = homeRegion(session);
  return (
    <section>
      <h1>{t('quality.title')}</h1>
      <Ranking code={code} />
      {CAN.review(session.user.role) && <Duplicates code={code} canMerge />}
    </section>
  );
}
