import { geoMercator, geoPath } from 'd3-geo';
import { useMemo, useState } from 'react';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { formatPercent } from '../format.js';
import { useI18n } from '../i18n/i18n.js';

export interface RegionProps {
  code: string;
  name: string;
  level?: string;
}

export type RegionFeature = Feature<Geometry, RegionProps>;

/** Five colour classes, light to dark (ColorBrewer YlOrRd, readable in print and in daylight). */
const COLORS = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
const NO_DATA = '#e5e7eb';

/**
 * Class breaks at the quintiles of the values (equal counts per colour); repeated breaks (many desa
 * at 0 %) and breaks at the minimum are merged, so no class is empty.
 */
export function quantileBreaks(values: readonly number[], classes = COLORS.length): number[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const out: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = v[Math.min(v.length - 1, Math.floor((i * v.length) / classes))];
    if (b > v[0] && !out.includes(b)) out.push(b);
  }
  return out;
}

function classOf(value: number, breaks: readonly number[]): number {
  let c = 0;
  while (c < breaks.length && value >= breaks[c]) c++;
  return c;
}

/** The colours of `n` classes, spread over the full ramp. */
function rampOf(n: number): string[] {
  if (n <= 1) return [COLORS[2]];
  return Array.from({ length: n }, (_, i) => COLORS[Math.round((i * (COLORS.length - 1)) / (n - 1))]);
}

/**
 * A choropleth of desa drawn as SVG with d3-geo (no tile server: works offline and on a projector).
 * Each desa is a keyboard-reachable link; Enter or a click opens it.
 */
export function Choropleth({ geo, values, label, onSelect, selected }: {
  geo: FeatureCollection<Geometry, RegionProps>;
  values: ReadonlyMap<string, number | null>;
  label: string;
  onSelect: (code: string) => void;
  selected?: string | null;
}) {
  const { t, lang } = useI18n();
  const [hover, setHover] = useState<string | null>(null);
  const width = 640;
  const height = 520;
  const { paths, breaks, ramp } = useMemo(() => {
    const desa = geo.features.filter((f) => !f.properties.level || f.properties.level === 'desa' || f.properties.level === 'kelurahan');
    const projection = geoMercator().fitSize([width, height], { type: 'FeatureCollection', features: desa });
    const path = geoPath(projection);
    const nums = desa.map((f) => values.get(f.properties.code)).filter((x): x is number => typeof x === 'number');
    const breaks = quantileBreaks(nums);
    return { paths: desa.map((f) => ({ f, d: path(f) ?? '' })), breaks, ramp: rampOf(breaks.length + 1) };
  }, [geo, values]);
  const hovered = hover ? paths.find((p) => p.f.properties.code === hover)?.f : null;

  return (
    <figure className="map">
      <svg viewBox={`0 0 ${width} ${height}`} role="group" aria-label={label} data-testid="choropleth">
        {paths.map(({ f, d }) => {
          const v = values.get(f.properties.code);
          const fill = typeof v === 'number' ? ramp[classOf(v, breaks)] : NO_DATA;
          const name = `${f.properties.name}: ${typeof v === 'number' ? formatPercent(lang, v) : t('map.noData')}`;
          return (
            <path
              key={f.properties.code}
              d={d}
              fill={fill}
              stroke={selected === f.properties.code ? '#111827' : '#ffffff'}
              strokeWidth={selected === f.properties.code ? 2 : 0.6}
              role="link"
              tabIndex={0}
              aria-label={name}
              data-code={f.properties.code}
              onClick={() => onSelect(f.properties.code)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(f.properties.code);
                }
              }}
              onMouseEnter={() => setHover(f.properties.code)}
              onMouseLeave={() => setHover(null)}
              onFocus={() => setHover(f.properties.code)}
            >
              <title>{name}</title>
            </path>
          );
        })}
      </svg>
      <figcaption>
        <span className="map-hover" aria-live="polite">{hovered ? `${hovered.properties.name}: ${formatPercent(lang, values.get(hovered.properties.code) ?? null)}` : t('map.hint')}</span>
        <ul className="legend">
          {ramp.map((c, i) => (
            <li key={c}>
              <span className="swatch" style={{ background: c }} aria-hidden="true" />
              {ramp.length === 1 ? formatPercent(lang, null) : i === 0 ? `< ${formatPercent(lang, breaks[0])}` : i === ramp.length - 1 ? `≥ ${formatPercent(lang, breaks[i - 1])}` : `${formatPercent(lang, breaks[i - 1])} – ${formatPercent(lang, breaks[i])}`}
            </li>
          ))}
          <li><span className="swatch" style={{ background: NO_DATA }} aria-hidden="true" />{t('map.noData')}</li>
        </ul>
      </figcaption>
    </figure>
  );
}
