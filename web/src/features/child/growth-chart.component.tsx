import { useMemo } from 'react';
import type { StoredMeasurement } from '../../../../src/api/posyandu.schema.js';
import { EChart, type ChartOption } from '../../components/echart.component.js';
import { formatNumber } from '../../format.js';
import { referenceCurves, type BrowserGrowth, type ChartIndex } from '../../growth/who-engine.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';

const LINE_COLORS: Record<number, string> = { [-3]: '#111827', [-2]: '#dc2626', [-1]: '#f59e0b', 0: '#16a34a', 1: '#f59e0b', 2: '#dc2626', 3: '#111827' };

/** A WHO growth chart (−3…+3 SD curves) with the child's measurements on it. */
export function GrowthChart({ growth, index, sex, measurements }: { growth: BrowserGrowth; index: ChartIndex; sex: 1 | 2; measurements: readonly StoredMeasurement[] }) {
  const { t, lang } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const points: [number, number][] = [];
    for (const m of measurements) {
      if (index === 'wfa' && m.weightKg !== null && m.ageDays !== null) points.push([m.ageDays / 30.4375, m.weightKg]);
      if (index === 'lhfa' && m.lenheiCm !== null && m.ageDays !== null) points.push([m.ageDays / 30.4375, m.lenheiCm]);
      if (index === 'wfl' && m.lenheiCm !== null && m.weightKg !== null) points.push([m.lenheiCm, m.weightKg]);
    }
    points.sort((a, b) => a[0] - b[0]);
    // WFL/WFH: the length table under 2 years, the height table after; the chart follows the child's last age.
    const last = measurements[measurements.length - 1];
    const useHeight = index === 'wfl' && last?.ageDays !== null && last?.ageDays !== undefined && last.ageDays >= 731;
    const curves = referenceCurves(growth.tables, index, sex, useHeight);
    const xMax = index === 'wfl' ? undefined : Math.min(60, Math.max(24, Math.ceil(((points[points.length - 1]?.[0] ?? 0) + 6) / 6) * 6));
    return {
      grid: { left: 48, right: 24, top: 32, bottom: 40 },
      tooltip: { trigger: 'item', formatter: (p: unknown) => {
        const v = (p as { value: [number, number]; seriesName: string }).value;
        return `${(p as { seriesName: string }).seriesName}: ${formatNumber(lang, v[0], 1)} → ${formatNumber(lang, v[1], 1)}`;
      } },
      xAxis: { type: 'value', name: t(index === 'wfl' ? 'chart.xLength' : 'chart.xAge'), nameLocation: 'middle', nameGap: 26, min: index === 'wfl' ? (useHeight ? 65 : 45) : 0, max: xMax },
      yAxis: { type: 'value', name: t(index === 'lhfa' ? 'chart.yLength' : 'chart.yWeight'), scale: true },
      series: [
        ...curves.map((c) => ({
          type: 'line' as const,
          name: c.z === 0 ? t('chart.median') : `${c.z > 0 ? '+' : '−'}${Math.abs(c.z)} SD`,
          data: xMax ? c.points.filter((p) => p[0] <= xMax) : c.points,
          showSymbol: false,
          silent: true,
          lineStyle: { width: c.z === 0 ? 2 : 1, color: LINE_COLORS[c.z], type: Math.abs(c.z) === 1 ? ('dashed' as const) : ('solid' as const) },
          itemStyle: { color: LINE_COLORS[c.z] },
        })),
        { type: 'line' as const, name: t('chart.child'), data: points, symbolSize: 8, lineStyle: { width: 2, color: '#1d4ed8' }, itemStyle: { color: '#1d4ed8' } },
      ],
    };
  }, [growth, index, sex, measurements, t, lang]);
  return (
    <figure className="growth-chart" data-testid={`growth-chart-${index}`}>
      <figcaption>{t(`index.${index}.long` as MessageKey)}</figcaption>
      <EChart option={option} label={t('chart.label', { index: t(`index.${index}.long` as MessageKey) })} height={320} />
    </figure>
  );
}
