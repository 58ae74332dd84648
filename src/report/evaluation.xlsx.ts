/** The evaluation report as an XLSX workbook (exceljs): the same tables as the PDF, one sheet each. */
import ExcelJS from 'exceljs';
import { t, type Lang } from '../common/i18n.js';
import type { EvaluationReportModel } from './evaluation-report.model.js';
import { actionStatusText, annualRoutine, priorityReasons, regionName, reportSummary, statusText, targetText, trendText } from './report-content.js';
import { R } from './report-labels.js';

type Cell = string | number | null;

function sheet(wb: ExcelJS.Workbook, nameKey: string, lang: Lang, headers: string[], rows: Cell[][]): void {
  const ws = wb.addWorksheet(t(nameKey, {}, lang).slice(0, 31));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((c) => (c === null ? '' : c)));
  ws.columns.forEach((col, i) => { col.width = Math.min(60, Math.max(8, headers[i]?.length ?? 8, ...rows.slice(0, 200).map((r) => String(r[i] ?? '').length))); });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

const round1 = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10) / 10);

/** Renders the report of `model` as XLSX bytes. */
export async function renderEvaluationXlsx(model: EvaluationReportModel, lang: Lang): Promise<Buffer> {
  const f = model.figures;
  const L = (key: string) => t(key, {}, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tumbuh';
  wb.created = new Date(model.round.frozenAt ?? f.computedAt);
  const title = [
    [t(R['report.title'], {}, lang)], [t(R['report.kabupaten'], { name: f.kabupaten.name, code: f.kabupaten.code }, lang)],
    [t(R['report.round'], { id: model.round.id, title: model.round.title }, lang)], [t(R['report.period'], { from: f.period.start, to: f.period.end }, lang)],
    [model.round.status === 'final' ? t(R['report.frozen'], { asOf: f.asOf, at: model.round.frozenAt }, lang) : t(R['report.draft'], { asOf: f.asOf, at: f.computedAt }, lang)],
    ...(model.synthetic ? [[L(R['report.synthetic'])]] : []), [],
    ...reportSummary(model, lang).map((s) => [s]),
  ];
  sheet(wb, R['report.sheet.summary'], lang, [L(R['report.s.summary'])], title);
  const ind = new Map(f.indicators.map((i) => [i.id, i]));
  const scoreHeaders = [L(R['report.col.region']), L(R['report.col.id']), L(R['report.col.indicator']), L(R['report.col.sector']), L(R['report.col.target']),
    L(R['report.col.targetSource']), L(R['report.col.value']), 'numerator', 'denominator', L(R['report.col.status']), L(R['report.col.previous']),
    L(R['report.col.trend']), L(R['report.col.source']), L(R['report.col.completeness']), L(R['report.col.opd']), L(R['report.col.how'])];
  const scoreRows = (level: string) => f.scorecard.filter((r) => r.level === level).map((r) => {
    const i = ind.get(r.indicatorId);
    return [regionName(f.regions, r.regionCode), r.indicatorId, (lang === 'id' ? i?.nameId : i?.nameEn) ?? '', i?.sector ?? '', r.target?.value ?? null,
      r.target ? targetText(r, i?.unit ?? 'percent', lang) : null, round1(r.value), r.numerator, r.denominator, statusText(r.status, lang),
      round1(r.previous), trendText(r, i?.unit ?? 'percent', lang), r.method === 'by_name' ? L(R['report.byName']) : r.source, round1(r.completeness),
      i?.opd ?? '', (lang === 'id' ? i?.howId : i?.howEn) ?? ''] as Cell[];
  });
  sheet(wb, R['report.sheet.kabupaten'], lang, scoreHeaders, scoreRows('kabupaten'));
  sheet(wb, R['report.sheet.kecamatan'], lang, scoreHeaders, scoreRows('kecamatan'));
  sheet(wb, R['report.sheet.desa'], lang, scoreHeaders, scoreRows('desa'));
  sheet(wb, R['report.sheet.kemenkes'], lang, [L(R['report.col.id']), L(R['report.col.indicator']), L(R['report.col.mapsTo']), L(R['report.col.target2023']), L(R['report.col.value']), L(R['report.col.opd'])],
    f.kemenkes.map((k) => [k.id, lang === 'id' ? k.nameId : k.nameEn, k.mapsTo, k.target2023, round1(k.value), k.opd]));
  sheet(wb, R['report.sheet.trend'], lang, [L(R['report.col.month']), 'stunted', 'stunting_denom', `${L(R['report.col.prevalence'])} %`, 'D', 'S', 'D/S %'],
    f.trend.map((p) => [p.month, p.stunted, p.stuntingDenom, p.stuntingDenom > 0 ? round1((100 * p.stunted) / p.stuntingDenom) : null, p.measured, p.registered, p.registered > 0 ? round1((100 * p.measured) / p.registered) : null]));
  sheet(wb, R['report.sheet.survey'], lang, [L(R['report.col.year']), L(R['report.col.survey']), `${L(R['report.col.prevalence'])} %`, L(R['report.col.source'])], [
    ...f.survey.map((s) => [s.year, s.survey, s.valuePercent, s.source] as Cell[]),
    ...[...annualRoutine(f)].map(([y, v]) => [y, L(R['report.chart.routine']), round1(v), 'Tumbuh'] as Cell[]),
  ]);
  sheet(wb, R['report.sheet.validity'], lang, [L(R['report.col.kecamatan']), L(R['report.col.month']), L(R['report.col.measurements']), L(R['report.col.score']), L(R['report.col.problems'])],
    f.validity.map((v) => [regionName(f.regions, v.regionCode), v.month, v.measurements, round1(v.score), v.problems.map((p) => `${lang === 'id' ? p.id : p.en} → ${lang === 'id' ? p.fixId : p.fixEn}`).join(' | ')]));
  sheet(wb, R['report.sheet.priority'], lang, [L(R['report.col.rank']), L(R['report.col.desa']), L(R['report.col.kecamatan']), L(R['report.col.score']), `${L(R['report.col.prevalence'])} %`, `${L(R['report.col.shrunk'])} %`, 'D/S %', L(R['report.col.reasons'])],
    f.priority.map((p) => [p.rank, regionName(f.regions, p.desaCode), regionName(f.regions, p.desaCode.slice(0, 8)), round1(p.score), round1(p.rawPrevalence), round1(p.shrunkPrevalence), round1(p.coverage), priorityReasons(p, lang)]));
  sheet(wb, R['report.sheet.barriers'], lang, [L(R['report.col.level']), L(R['report.col.region']), L(R['report.col.sector']), L(R['report.col.line']), L(R['report.col.id']), L(R['report.col.barrier'])],
    model.barriers.map((b) => [t(`report.level.${b.level}`, {}, lang), regionName(f.regions, b.regionCode), b.sector, b.interventionLine, b.indicatorId, b.description]));
  sheet(wb, R['report.sheet.actions'], lang, ['#', L(R['report.col.action']), L(R['report.col.stakeholder']), L(R['report.col.owner']), L(R['report.col.due']), L(R['report.col.status']), L(R['report.col.indicator']), L(R['report.col.regions']), L(R['report.col.progress'])],
    model.actions.map((a) => {
      const last = a.notes.at(-1);
      return [a.id, a.title, `${a.stakeholderType}${a.stakeholderName ? `: ${a.stakeholderName}` : ''}`, a.owner, a.dueOn, actionStatusText(a, lang), a.indicatorIds.join(', '),
        a.regionCodes.map((c) => regionName(f.regions, c)).join(', '), last ? `${last.progressPercent ?? ''} ${last.note} ${last.evidence ?? ''} ${last.evidenceUrl ?? ''}`.trim() : null];
    }));
  sheet(wb, R['report.sheet.carried'], lang, ['#', L(R['report.col.action']), L(R['report.col.owner']), L(R['report.col.status']), L(R['report.col.indicator']), L(R['report.col.region']), L(R['report.col.previous']), L(R['report.col.value']), L(R['report.col.trend'])],
    model.carried.flatMap((a) => (a.movements.length ? a.movements : [null]).map((mv) => [a.id, a.title, a.owner, actionStatusText(a, lang), mv?.indicatorId ?? null,
      mv ? regionName(f.regions, mv.regionCode) : null, round1(mv?.before), round1(mv?.after), mv ? t(`report.trend.${mv.trend}`, {}, lang) : null])));
  sheet(wb, R['report.sheet.roles'], lang, [L(R['report.col.stakeholder']), L(R['report.col.indicator']), L(R['report.col.region']), L(R['report.col.basis'])],
    model.roles.cells.map((c) => [`${c.stakeholderType}: ${c.stakeholder}`, c.indicatorId, regionName(f.regions, c.regionCode), [...c.actions.map((a) => `RTL #${a}`), ...c.commitments.map((x) => `commitment #${x}`)].join(', ')]));
  sheet(wb, R['report.sheet.gaps'], lang, [L(R['report.col.indicator']), L(R['report.col.desa']), L(R['report.col.kecamatan']), L(R['report.col.status']), L(R['report.col.opd'])],
    model.roles.gaps.map((g) => [g.indicatorId, regionName(f.regions, g.desaCode), regionName(f.regions, g.desaCode.slice(0, 8)), statusText(g.status as never, lang), ind.get(g.indicatorId)?.opd ?? '']));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
