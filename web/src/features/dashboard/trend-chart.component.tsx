import { useMemo } from 'react';
import type { Dashboard } from '../../../../src/api/regions.schema.js';
import { EChart, type ChartOption } from '../../components/echart.component.js';
import { formatMonth, formatNumber } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';

/** The monthly trend: prevalence (line) and measurement coverage D/S (bars). */
export default function TrendChart({ d }: { d: Dashboard }) {
  const { t, lang } = useI18n();
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 48, right: 48, top: 36, bottom: 32 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatNumber(lang, Number(v), 1) },
    legend: { top: 0 },
    xAxis: { type: 'category', data: d.trend.map((p) => formatMonth(lang, p.month)) },
    yAxis: [
      { type: 'value', name: '%', axisLabel: { formatter: (v: number) => formatNumber(lang, v, 0) } },
      { type: 'value', name: t('dash.trend.coverage'), max: 100, axisLabel: { formatter: (v: number) => formatNumber(lang, v, 0) } },
    ],
    series: [
      { type: 'bar', name: t('dash.trend.coverage'), yAxisIndex: 1, itemStyle: { color: '#cbd5e1' }, data: d.trend.map((p) => (p.coverage === null ? null : Math.round(p.coverage * 1000) / 10)) },
      { type: 'line', name: t(`indicator.${d.indicator}` as MessageKey), itemStyle: { color: '#b91c1c' }, data: d.trend.map((p) => (p.prevalence === null ? null : Math.round(p.prevalence * 1000) / 10)) },
    ],
  }), [d, lang, t]);
  return <EChart option={option} label={t('dash.trend.label')} />;
}
