import { useEffect, useState } from 'react';
import type { ChildProfile, StoredMeasurement } from '../../../../src/api/posyandu.schema.js';
import { PATHS } from '../../api/paths.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { Empty, Loaded } from '../../components/states.component.js';
import { formatDate, formatNumber, formatZ } from '../../format.js';
import { loadGrowth, type BrowserGrowth } from '../../growth/who-engine.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { GrowthChart } from './growth-chart.component.js';

function History({ rows }: { rows: StoredMeasurement[] }) {
  const { t, lang, pick } = useI18n();
  const columns: Column<StoredMeasurement>[] = [
    { key: 'date', label: t('child.date'), value: (r) => r.measuredOn, render: (r) => formatDate(lang, r.measuredOn) },
    { key: 'age', label: t('child.ageMonths'), value: (r) => r.ageMonths, render: (r) => formatNumber(lang, r.ageMonths, 1), numeric: true },
    { key: 'weight', label: t('day.weight'), value: (r) => r.weightKg, render: (r) => formatNumber(lang, r.weightKg, 1), numeric: true },
    { key: 'lenhei', label: t('day.lenhei'), value: (r) => r.lenheiCm, render: (r) => `${formatNumber(lang, r.lenheiCm, 1)}${r.position ? ` (${r.position})` : ''}`, numeric: true },
    { key: 'muac', label: t('day.muac'), value: (r) => r.muacCm, render: (r) => formatNumber(lang, r.muacCm, 1), numeric: true },
    { key: 'zwei', label: t('index.wfa'), value: (r) => r.zwei, render: (r) => formatZ(lang, r.zwei), numeric: true },
    { key: 'zlen', label: t('index.lhfa'), value: (r) => r.zlen, render: (r) => formatZ(lang, r.zlen), numeric: true },
    { key: 'zwfl', label: t('index.wfl'), value: (r) => r.zwfl, render: (r) => formatZ(lang, r.zwfl), numeric: true },
    { key: 'status', label: t('child.lengthStatus'), value: (r) => pick(r.status.lengthForAge) },
    { key: 'gain', label: t('child.weightGain'), value: (r) => `${r.weightGain ?? ''}${r.twoT ? ' (2T)' : ''}` },
  ];
  return <DataTable columns={columns} rows={rows} caption={t('child.history')} fileName="riwayat-pengukuran" rowKey={(r) => r.id} />;
}

/** Anak: a child's growth charts, history, alerts, services, family risk and the printable card. */
export default function ChildPage({ id }: { id: number }) {
  const { t, lang, pick } = useI18n();
  const state = useApi<ChildProfile>(PATHS.child(id));
  const [growth, setGrowth] = useState<BrowserGrowth | null>(null);
  useEffect(() => {
    loadGrowth().then(setGrowth).catch(() => setGrowth(null));
  }, []);
  return (
    <Loaded state={state}>
      {(p) => {
        const ms = [...p.measurements].sort((a, b) => a.measuredOn.localeCompare(b.measuredOn));
        return (
          <section className="child">
            <h1>{p.child.name}</h1>
            <p className="muted" data-testid="child-facts">
              {t(p.child.sex === 1 ? 'child.sexM' : 'child.sexF')} · {t('child.born', { date: formatDate(lang, p.child.birthDate) })}
              {p.child.motherName && <> · {t('child.motherOf', { name: p.child.motherName })}</>}
              {p.child.nikLast4 && <> · {t('child.nikLast4', { digits: p.child.nikLast4 })}</>}
              {' · '}<Link to={`/wilayah/${p.child.desaCode}`}>{p.child.desaName}</Link>
              {p.child.posyanduId && <> · <Link to={`/posyandu/${p.child.posyanduId}`}>{p.child.posyanduName}</Link></>}
            </p>
            <p className="no-print">
              <button type="button" onClick={() => window.print()}>{t('child.print')}</button>
            </p>
            <div className="print-only print-title">{t('child.cardTitle')}</div>
            {growth ? (
              <div className="grid-3">
                {(['wfa', 'lhfa', 'wfl'] as const).map((ix) => <GrowthChart key={ix} growth={growth} index={ix} sex={p.child.sex} measurements={ms} />)}
              </div>
            ) : <p className="muted">{t('day.loadingEngine')}</p>}
            <section className="panel">
              <h2>{t('child.history')}</h2>
              {ms.length ? <History rows={ms} /> : <Empty />}
            </section>
            <div className="grid-2">
              <section className="panel">
                <h2>{t('child.alerts')}</h2>
                {p.alerts.length ? (
                  <ul className="plain">
                    {p.alerts.map((a) => (
                      <li key={a.id}><strong>{t(`alertKind.${a.kind}` as MessageKey)}</strong> · {a.month} · {t(`alertStatus.${a.status}` as MessageKey)} — {pick(a.reason)} <span className="muted">{pick(a.action)}</span></li>
                    ))}
                  </ul>
                ) : <Empty />}
              </section>
              <section className="panel">
                <h2>{t('child.family')}</h2>
                {p.family ? (
                  <>
                    <p>{p.family.atRisk ? <span className="badge badge-poor">{t('child.familyAtRisk')}</span> : <span className="badge badge-good">{t('child.familyNotAtRisk')}</span>}
                      {p.family.tpkAccompanied && <span className="badge badge-fair">{t('child.tpk')}</span>}</p>
                    {p.family.riskFactors.length > 0 && <ul className="plain">{p.family.riskFactors.map((f) => <li key={f}>{t(`risk.${f}` as MessageKey)}</li>)}</ul>}
                    {p.family.assessedOn && <p className="small">{t('child.assessedOn', { date: formatDate(lang, p.family.assessedOn) })}</p>}
                  </>
                ) : <Empty />}
              </section>
            </div>
            <section className="panel">
              <h2>{t('child.services')}</h2>
              {p.services.length ? (
                <DataTable
                  columns={[
                    { key: 'date', label: t('child.date'), value: (s) => s.servedOn, render: (s) => formatDate(lang, s.servedOn) },
                    { key: 'name', label: t('child.service'), value: (s) => pick(s.name) },
                    { key: 'qty', label: t('child.quantity'), value: (s) => s.quantity, render: (s) => (s.quantity === null ? '–' : `${formatNumber(lang, s.quantity, 1)} ${s.unit ?? ''}`), numeric: true },
                    { key: 'provider', label: t('child.provider'), value: (s) => s.provider },
                  ]}
                  rows={p.services}
                  caption={t('child.services')}
                  fileName="layanan-anak"
                  rowKey={(s, i) => `${s.code}-${s.servedOn}-${i}`}
                />
              ) : <Empty />}
            </section>
          </section>
        );
      }}
    </Loaded>
  );
}
