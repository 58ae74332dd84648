import { lazy, Suspense, useMemo, useState } from 'react';
import type { Boundaries, Dashboard } from '../../../../src/api/regions.schema.js';
import { PATHS } from '../../api/paths.js';
import { useApi, type ApiState } from '../../api/use-api.js';
import { Choropleth, type RegionProps } from '../../components/choropleth.component.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { ErrorMessage, Loaded, Loading } from '../../components/states.component.js';
import { formatMonth, formatNumber, formatPercent } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { Link, navigate } from '../../router.js';
import type { FeatureCollection, Geometry } from 'geojson';

type Indicator = Dashboard['indicator'];
const INDICATORS: Indicator[] = ['stunting', 'severe_stunting', 'wasting', 'severe_wasting', 'underweight', 'overweight'];

const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : x * 100);

function Cards({ d }: { d: Dashboard }) {
  const { t, lang } = useI18n();
  const r = d.cards.routine;
  return (
    <div className="cards" data-testid="cards">
      <article className="card card-main">
        <h3>{t('dash.card.routine', { indicator: t(`indicator.${d.indicator}` as MessageKey) })}</h3>
        <p className="big">{formatPercent(lang, pct(r.prevalence))}</p>
        <p className="small">{t('dash.card.routineOf', { num: formatNumber(lang, r.numerator), den: formatNumber(lang, r.denominator) })}</p>
        <p className="small">{t('dash.card.ci', { low: formatPercent(lang, pct(r.ciLow)), high: formatPercent(lang, pct(r.ciHigh)) })}</p>
        <p className="small">
          {t('dash.card.coverage', { coverage: formatPercent(lang, pct(r.coverage)) })}
          {r.coverageAboveRegistered && <span className="badge badge-poor">{t('dash.card.coverageAbove')}</span>}
        </p>
        <p className="small source">{t('dash.card.routineSource')}</p>
      </article>
      <article className="card">
        <h3>{t('dash.card.survey')}</h3>
        {d.cards.survey ? (
          <>
            <p className="big">{formatPercent(lang, d.cards.survey.valuePercent)}</p>
            <p className="small">{t('dash.card.surveyOf', { survey: d.cards.survey.survey, year: d.cards.survey.year })}</p>
            <p className="small source">{d.cards.survey.source}</p>
          </>
        ) : <p className="small">{t('dash.card.noSurvey')}</p>}
      </article>
      <article className="card">
        <h3>{t('dash.card.measured')}</h3>
        <p className="big">{formatNumber(lang, d.cards.measuredThisMonth)}</p>
        <p className="small">{t('dash.card.measuredOf', { registered: formatNumber(lang, d.cards.registered), month: formatMonth(lang, d.month) })}</p>
      </article>
      <article className="card">
        <h3>{t('dash.card.alerts')}</h3>
        <p className="big">{formatNumber(lang, d.cards.openAlerts)}</p>
      </article>
      <article className="card">
        <h3>{t('dash.card.overdue')}</h3>
        <p className="big">{formatNumber(lang, d.cards.overdueActions)}</p>
      </article>
    </div>
  );
}

// ECharts is large: the trend loads after the cards and the map have painted.
const TrendChart = lazy(() => import('./trend-chart.component.js'));

function Trend({ d }: { d: Dashboard }) {
  const { t } = useI18n();
  return (
    <section className="panel">
      <h2>{t('dash.trend.title')}</h2>
      <Suspense fallback={<Loading />}>
        <TrendChart d={d} />
      </Suspense>
    </section>
  );
}

function MapPanel({ d, geo }: { d: Dashboard; geo: ApiState<Boundaries> }) {
  const { t, lang } = useI18n();
  const values = useMemo(() => new Map(d.desa.map((x) => [x.code, pct(x.prevalence)])), [d]);
  return (
    <section className="panel">
      <h2>{t('dash.map.title', { indicator: t(`indicator.${d.indicator}` as MessageKey), month: formatMonth(lang, d.month) })}</h2>
      {geo.error ? <ErrorMessage error={geo.error} /> : geo.data === null ? <Loading /> : (
        <Choropleth
          geo={geo.data as unknown as FeatureCollection<Geometry, RegionProps>}
          values={values}
          label={t('dash.map.label')}
          onSelect={(c) => navigate(`/wilayah/${c}`)}
        />
      )}
    </section>
  );
}

function PriorityPanel({ d }: { d: Dashboard }) {
  const { t, lang, pick } = useI18n();
  const columns: Column<Dashboard['priority'][number]>[] = [
    { key: 'rank', label: t('priority.rank'), value: (r) => r.rank, numeric: true },
    { key: 'name', label: t('priority.desa'), value: (r) => r.name, render: (r) => <Link to={`/wilayah/${r.desaCode}`}>{r.name}</Link> },
    { key: 'index', label: t('priority.index'), value: (r) => r.index, render: (r) => formatNumber(lang, r.index, 1), numeric: true },
    { key: 'status', label: t('priority.status'), value: (r) => t(`priority.status.${r.status}` as MessageKey) },
    { key: 'lokus', label: t('priority.lokus'), value: (r) => (r.inLokus ? t('common.yes') : t('common.no')) },
    { key: 'reasons', label: t('priority.reasons'), value: (r) => r.reasons.map((x) => pick(x)).join('; '), render: (r) => <ul className="reasons">{r.reasons.map((x, i) => <li key={i}>{pick(x)}</li>)}</ul> },
  ];
  return (
    <section className="panel">
      <h2>{t('priority.title')}</h2>
      <DataTable columns={columns} rows={d.priority} caption={t('priority.caption')} fileName="desa-prioritas" rowKey={(r) => r.desaCode} pageSize={10} />
    </section>
  );
}

/** A validity badge: good / fair / poor / not scored, with the score. */
export function ValidityBadge({ badge, score }: { badge: string; score: number | null }) {
  const { t, lang } = useI18n();
  return <span className={`badge badge-${badge}`}>{t(`validity.${badge}` as MessageKey)}{score !== null && ` ${formatNumber(lang, score, 0)}`}</span>;
}

function ValidityPanel({ d }: { d: Dashboard }) {
  const { t, lang, pick } = useI18n();
  const columns: Column<Dashboard['validity'][number]>[] = [
    { key: 'name', label: t('validity.unit'), value: (r) => r.name },
    { key: 'badge', label: t('validity.badge'), value: (r) => r.score, render: (r) => <ValidityBadge badge={r.badge} score={r.score} />, numeric: true },
    { key: 'children', label: t('validity.children'), value: (r) => r.children, render: (r) => formatNumber(lang, r.children), numeric: true },
    { key: 'problems', label: t('validity.problems'), value: (r) => r.problems.map((p) => pick(p)).join('; ') },
  ];
  return (
    <section className="panel">
      <h2>{t('validity.title')}</h2>
      <DataTable columns={columns} rows={d.validity} caption={t('validity.caption')} fileName="validitas-data" rowKey={(r) => r.code} pageSize={10} />
    </section>
  );
}

/** Cards, trend, map, priority villages and validity badges of one region (Beranda and Wilayah). */
export function RegionOverview({ code, onLoaded }: { code: string; onLoaded?: (d: Dashboard) => void }) {
  const { t, lang } = useI18n();
  const [indicator, setIndicator] = useState<Indicator>('stunting');
  const state = useApi<Dashboard>(PATHS.dashboard(code), { indicator });
  // Asked at the same time as the dashboard, not after it: the map is half of the first paint.
  const geo = useApi<Boundaries>(PATHS.boundaries(code));
  return (
    <Loaded state={state}>
      {(d) => {
        onLoaded?.(d);
        return (
          <div className="overview">
            <div className="toolbar">
              <label>
                {t('dash.indicator')}
                <select value={indicator} onChange={(e) => setIndicator(e.target.value as Indicator)}>
                  {INDICATORS.map((i) => <option key={i} value={i}>{t(`indicator.${i}` as MessageKey)}</option>)}
                </select>
              </label>
              <span className="muted">{t('dash.month', { month: formatMonth(lang, d.month) })}</span>
            </div>
            <Cards d={d} />
            <div className="grid-2">
              {d.desa.length > 1 && <MapPanel d={d} geo={geo} />}
              <Trend d={d} />
            </div>
            {d.priority.length > 0 && <PriorityPanel d={d} />}
            {d.validity.length > 0 && <ValidityPanel d={d} />}
          </div>
        );
      }}
    </Loaded>
  );
}
