import type { Skdn } from '../../../../src/api/regions.schema.js';
import { PATHS } from '../../api/paths.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { Loaded } from '../../components/states.component.js';
import { formatMonth, formatNumber, formatPercent } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';

type Row = Skdn['posyandu'][number];
const pct = (x: number | null) => (x === null ? null : x * 100);

/** SKDN of a region: totals and one row per posyandu (S, K, D, N, 2T and the ratios). */
export function SkdnPanel({ code, posyanduId }: { code: string; posyanduId?: number }) {
  const { t, lang } = useI18n();
  const state = useApi<Skdn>(PATHS.skdn(code));
  const columns: Column<Row>[] = [
    { key: 'name', label: t('skdn.posyandu'), value: (r) => r.posyanduName, render: (r) => <Link to={`/posyandu/${r.posyanduId}`}>{r.posyanduName}</Link> },
    { key: 'S', label: 'S', value: (r) => r.S, render: (r) => formatNumber(lang, r.S), numeric: true },
    { key: 'K', label: 'K', value: (r) => r.K, render: (r) => formatNumber(lang, r.K), numeric: true },
    { key: 'D', label: 'D', value: (r) => r.D, render: (r) => formatNumber(lang, r.D), numeric: true },
    { key: 'N', label: 'N', value: (r) => r.N, render: (r) => formatNumber(lang, r.N), numeric: true },
    { key: 'twoT', label: '2T', value: (r) => r.twoT, render: (r) => formatNumber(lang, r.twoT), numeric: true },
    { key: 'DS', label: 'D/S', value: (r) => pct(r.DS), render: (r) => formatPercent(lang, pct(r.DS)), numeric: true },
    { key: 'ND', label: 'N/D', value: (r) => pct(r.ND), render: (r) => formatPercent(lang, pct(r.ND)), numeric: true },
  ];
  return (
    <section className="panel" data-testid="skdn">
      <h2>{t('skdn.title')}</h2>
      <Loaded state={state}>
        {(d) => {
          const rows = posyanduId ? d.posyandu.filter((r) => r.posyanduId === posyanduId) : d.posyandu;
          return (
            <>
              <p className="muted">{t('skdn.summary', {
                month: formatMonth(lang, d.month), S: formatNumber(lang, d.total.S), K: formatNumber(lang, d.total.K), D: formatNumber(lang, d.total.D),
                N: formatNumber(lang, d.total.N), DS: formatPercent(lang, pct(d.total.DS)), ND: formatPercent(lang, pct(d.total.ND)),
              })}</p>
              <p className="small">{d.convention === 'weighed_both_months' ? t('skdn.conventionBoth') : t('skdn.conventionThis')}</p>
              <DataTable columns={columns} rows={rows} caption={t('skdn.caption')} fileName="skdn" rowKey={(r) => r.posyanduId} pageSize={25} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
