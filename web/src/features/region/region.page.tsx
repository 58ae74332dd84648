import type { PosyanduChildren } from '../../../../src/api/posyandu.schema.js';
import type { RegionTree } from '../../../../src/api/regions.schema.js';
import { levelOf } from '../../api/home-region.js';
import { PATHS } from '../../api/paths.js';
import { CAN, useSession } from '../../api/session.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { Loaded } from '../../components/states.component.js';
import { formatDate, formatZ } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { RegionOverview } from '../dashboard/region-overview.component.js';
import { AlertListPanel } from './alert-list.component.js';
import { SkdnPanel } from './skdn.component.js';

function Breadcrumb({ code, tree }: { code: string; tree: RegionTree | null }) {
  const { t } = useI18n();
  const byCode = new Map((tree?.regions ?? []).map((r) => [r.code, r]));
  const chain: string[] = [];
  const parts = code.split('.');
  for (let i = 2; i <= parts.length; i++) chain.push(parts.slice(0, i).join('.'));
  return (
    <nav aria-label={t('region.breadcrumb')} className="breadcrumb">
      <ol>
        {chain.map((c, i) => (
          <li key={c}>{i === chain.length - 1 ? <span aria-current="page">{byCode.get(c)?.name ?? c}</span> : <Link to={`/wilayah/${c}`}>{byCode.get(c)?.name ?? c}</Link>}</li>
        ))}
      </ol>
    </nav>
  );
}

function ChildRegions({ code, tree }: { code: string; tree: RegionTree }) {
  const { t } = useI18n();
  const children = tree.regions.filter((r) => r.parentCode === code && r.visible);
  if (children.length === 0) return null;
  return (
    <section className="panel">
      <h2>{t(levelOf(code) === 'kabupaten' ? 'region.kecamatanList' : 'region.desaList')}</h2>
      <ul className="chips">
        {children.map((r) => <li key={r.code}><Link to={`/wilayah/${r.code}`}>{r.name}</Link></li>)}
      </ul>
    </section>
  );
}

function PosyanduChildrenPanel({ id }: { id: number }) {
  const { t, lang, pick } = useI18n();
  const state = useApi<PosyanduChildren>(PATHS.posyanduChildren(id));
  type Row = PosyanduChildren['children'][number];
  const columns: Column<Row>[] = [
    { key: 'name', label: t('child.name'), value: (r) => r.name, render: (r) => <Link to={`/anak/${r.id}`}>{r.name}</Link> },
    { key: 'age', label: t('child.ageMonths'), value: (r) => r.ageMonths, numeric: true },
    { key: 'last', label: t('child.lastMeasured'), value: (r) => r.last?.measuredOn ?? null, render: (r) => formatDate(lang, r.last?.measuredOn) },
    { key: 'haz', label: t('child.haz'), value: (r) => r.last?.zlen ?? null, render: (r) => formatZ(lang, r.last?.zlen), numeric: true },
    { key: 'status', label: t('child.lengthStatus'), value: (r) => pick(r.last?.status.lengthForAge ?? null) },
    { key: 'gain', label: t('child.weightGain'), value: (r) => r.last?.weightGain ?? null },
  ];
  return (
    <Loaded state={state}>
      {(d) => (
        <>
          <h1>{t('region.posyanduTitle', { name: d.posyandu.name })}</h1>
          <p><Link to={`/hari-posyandu?posyandu=${d.posyandu.id}`}>{t('region.openDay')}</Link></p>
          <SkdnPanel code={d.posyandu.desaCode} posyanduId={d.posyandu.id} />
          <AlertListPanel code={d.posyandu.desaCode} posyanduId={d.posyandu.id} />
          <section className="panel">
            <h2>{t('region.children')}</h2>
            <DataTable columns={columns} rows={d.children} caption={t('region.childrenCaption')} fileName="anak-posyandu" rowKey={(r) => r.id} />
          </section>
        </>
      )}
    </Loaded>
  );
}

/** Wilayah: a kecamatan or desa (the Beranda's figures scoped to it, SKDN, alerts) or a posyandu. */
export default function RegionPage({ code, posyanduId }: { code: string | null; posyanduId?: number }) {
  const { t } = useI18n();
  const { session } = useSession();
  const tree = useApi<RegionTree>(PATHS.regions);
  if (posyanduId) return <section><PosyanduChildrenPanel id={posyanduId} /></section>;
  if (!code) return null;
  const personal = session ? CAN.personal(session.user.role) : false;
  const name = tree.data?.regions.find((r) => r.code === code)?.name ?? code;
  const level = levelOf(code);
  return (
    <section>
      <Breadcrumb code={code} tree={tree.data} />
      <h1>{t(`level.${level}` as MessageKey)} {name}</h1>
      <RegionOverview code={code} />
      {tree.data && <ChildRegions code={code} tree={tree.data} />}
      {level !== 'kabupaten' && <SkdnPanel code={code} />}
      {personal && level !== 'kabupaten' && <AlertListPanel code={code} />}
    </section>
  );
}
