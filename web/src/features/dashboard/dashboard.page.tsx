import { useState } from 'react';
import type { Dashboard, RegionTree } from '../../../../src/api/regions.schema.js';
import { homeRegion } from '../../api/home-region.js';
import { PATHS } from '../../api/paths.js';
import { useSession } from '../../api/session.js';
import { useApi } from '../../api/use-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { RegionOverview } from './region-overview.component.js';

/** Beranda: the user's district (or own area) at a glance; several desa get a picker. */
export function DashboardPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const [name, setName] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const many = (session?.scope.regionCodes?.length ?? 0) > 1;
  const tree = useApi<RegionTree>(many ? PATHS.regions : null);
  if (!session) return null;
  const code = picked ?? homeRegion(session);
  const onLoaded = (d: Dashboard) => {
    if (d.region.name !== name) queueMicrotask(() => setName(d.region.name));
  };
  const names = new Map((tree.data?.regions ?? []).map((r) => [r.code, r.name]));
  return (
    <section>
      <h1>{t('dash.title')}{name ? ` — ${name}` : ''}</h1>
      {many && (
        <div className="toolbar">
          <label>
            {t('dash.area')}
            <select value={code} onChange={(e) => setPicked(e.target.value)}>
              {[...(session.scope.regionCodes ?? [])].sort().map((c) => <option key={c} value={c}>{names.get(c) ?? c}</option>)}
            </select>
          </label>
        </div>
      )}
      <p className="muted">
        <Link to={`/wilayah/${code}`}>{t('dash.openRegion')}</Link>
      </p>
      <RegionOverview key={code} code={code} onLoaded={onLoaded} />
    </section>
  );
}
