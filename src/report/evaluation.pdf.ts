/**
 * The evaluation report as a PDF (PDFKit, standard fonts): the TPPS evaluation template (cover,
 * executive summary, trend with routine-versus-survey panel and coverage, choropleth map,
 * scorecard, data validity, priority villages, barriers, follow-up plan, roles matrix) and the
 * bupati → gubernur semester template. Bahasa Indonesia by default, English with lang 'en'.
 */
import PDFDocument from 'pdfkit';
import { t, type Lang } from '../common/i18n.js';
import type { ScorecardRow } from '../evaluation/scorecard.service.js';
import { choropleth, groupedBars, lineChart, targetBars, type Box } from './pdf-charts.js';
import type { EvaluationReportModel } from './evaluation-report.model.js';
import { fmtDate, fmtMonth, fmtNumber, fmtValue, pdfSafe } from './report-format.js';
import { R } from './report-labels.js';
import { reportSummary, STATUS_COLORS, prevalenceColor, PREVALENCE_BANDS, regionName, statusText, targetText, trendText, actionStatusText, priorityReasons, annualRoutine } from './report-content.js';

type Doc = PDFKit.PDFDocument;
export type ReportTemplate = 'tpps' | 'semester';

const M = 40;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const W = PAGE_W - 2 * M;

interface Col { header: string; width: number; align?: 'left' | 'right' | 'center' }

class Writer {
  constructor(readonly doc: Doc, readonly lang: Lang) {}
  tr(key: string, params?: Record<string, unknown>): string { return pdfSafe(t(key, params, this.lang)); }
  ensure(h: number): void { if (this.doc.y + h > PAGE_H - M - 14) this.doc.addPage(); }
  heading(key: string): void {
    this.ensure(60);
    this.doc.moveDown(0.6).font('Helvetica-Bold').fontSize(13).fillColor('#1b4965').text(this.tr(key), M, this.doc.y, { width: W });
    this.doc.moveDown(0.3).font('Helvetica').fontSize(9).fillColor('#000000');
  }
  sub(key: string, params?: Record<string, unknown>): void {
    this.ensure(40);
    this.doc.moveDown(0.4).font('Helvetica-Bold').fontSize(10).fillColor('#000000').text(this.tr(key, params), M, this.doc.y, { width: W });
    this.doc.moveDown(0.2).font('Helvetica').fontSize(9);
  }
  para(text: string, size = 9): void {
    this.ensure(20);
    this.doc.font('Helvetica').fontSize(size).fillColor('#000000').text(pdfSafe(text), M, this.doc.y, { width: W });
    this.doc.moveDown(0.25);
  }
  table(cols: Col[], rows: { cells: string[]; fill?: (string | null)[] }[], size = 7): void {
    const doc = this.doc;
    const total = cols.reduce((s, c) => s + c.width, 0);
    const widths = cols.map((c) => (c.width / total) * W);
    const pad = 2;
    const header = () => {
      doc.font('Helvetica-Bold').fontSize(size);
      const h = Math.max(...cols.map((c, i) => doc.heightOfString(pdfSafe(c.header), { width: widths[i] - 2 * pad }))) + 2 * pad;
      this.ensure(h + 12);
      let x = M;
      const y = doc.y;
      cols.forEach((c, i) => {
        doc.rect(x, y, widths[i], h).fillColor('#dfe7ee').fill();
        doc.fillColor('#000000').text(pdfSafe(c.header), x + pad, y + pad, { width: widths[i] - 2 * pad, align: c.align ?? 'left' });
        x += widths[i];
      });
      doc.y = y + h;
    };
    header();
    doc.font('Helvetica').fontSize(size);
    for (const row of rows) {
      const texts = row.cells.map((c) => pdfSafe(c));
      const h = Math.max(...texts.map((c, i) => doc.heightOfString(c, { width: widths[i] - 2 * pad }))) + 2 * pad;
      if (doc.y + h > PAGE_H - M - 14) { doc.addPage(); header(); doc.font('Helvetica').fontSize(size); }
      let x = M;
      const y = doc.y;
      texts.forEach((c, i) => {
        const f = row.fill?.[i];
        if (f) doc.rect(x, y, widths[i], h).fillColor(f).fill();
        doc.fillColor('#000000').text(c, x + pad, y + pad, { width: widths[i] - 2 * pad, align: cols[i].align ?? 'left' });
        x += widths[i];
      });
      doc.moveTo(M, y + h).lineTo(M + W, y + h).lineWidth(0.3).strokeColor('#cccccc').stroke();
      doc.y = y + h;
    }
    doc.x = M;
    doc.moveDown(0.4);
  }
  box(h: number): Box {
    this.ensure(h + 6);
    const b = { x: M, y: this.doc.y, w: W, h };
    this.doc.y += h + 6;
    return b;
  }
}

function cover(w: Writer, m: EvaluationReportModel, template: ReportTemplate): void {
  const { doc } = w;
  const f = m.figures;
  doc.rect(0, 0, PAGE_W, 190).fillColor('#1b4965').fill();
  doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(20)
    .text(w.tr(template === 'semester' ? R['report.semesterTitle'] : R['report.title']), M, 60, { width: W });
  doc.font('Helvetica').fontSize(13).text(w.tr(R['report.kabupaten'], { name: f.kabupaten.name, code: f.kabupaten.code }), M, doc.y + 8, { width: W });
  doc.fillColor('#000000').fontSize(11).text(w.tr(R['report.round'], { id: m.round.id, title: m.round.title }), M, 220, { width: W });
  w.para(t(R['report.period'], { from: fmtDate(f.period.start, w.lang), to: fmtDate(f.period.end, w.lang) }, w.lang), 11);
  if (m.round.heldOn) w.para(t(R['report.heldOn'], { date: fmtDate(m.round.heldOn, w.lang), place: m.round.place ?? '–' }, w.lang), 11);
  doc.moveDown(0.5);
  w.para(m.round.status === 'final'
    ? t(R['report.frozen'], { asOf: fmtDate(f.asOf, w.lang), at: fmtDate(m.round.frozenAt, w.lang) }, w.lang)
    : t(R['report.draft'], { asOf: fmtDate(f.asOf, w.lang), at: fmtDate(f.computedAt, w.lang) }, w.lang), 9);
  if (m.synthetic) {
    doc.moveDown(0.3).font('Helvetica-Bold').fontSize(10).fillColor('#b00020').text(w.tr(R['report.synthetic']), M, doc.y, { width: W });
    doc.font('Helvetica').fillColor('#000000');
  }
  if (template === 'semester') {
    doc.moveDown(1);
    w.para(t(R['report.semesterTo'], { province: 'Kalimantan Tengah' }, w.lang), 10);
    w.para(t(R['report.semesterFrom'], { kabupaten: f.kabupaten.name }, w.lang), 10);
    w.para(t(R['report.semesterBasis'], {}, w.lang), 9);
  }
  if (m.round.participants.length) {
    doc.moveDown(0.6);
    w.para(`${t(R['report.participants'], {}, w.lang)}: ${m.round.participants.join('; ')}`, 9);
  }
}

function summary(w: Writer, m: EvaluationReportModel): void {
  w.heading(R['report.s.summary']);
  for (const line of reportSummary(m, w.lang)) w.para(`• ${line}`);
}

function trendSection(w: Writer, m: EvaluationReportModel): void {
  const f = m.figures;
  const lang = w.lang;
  w.heading(R['report.s.trend']);
  const labels = f.trend.map((p) => fmtMonth(p.month, lang));
  const pct = (v: number) => fmtNumber(v, 0, lang);
  const outTarget = f.scorecard.find((r) => r.indicatorId === 'OUT-01' && r.level === 'kabupaten')?.target?.value ?? null;
  lineChart(w.doc, w.box(150), t(R['report.chart.trend'], {}, lang), labels, [
    { label: t(R['report.chart.routine'], {}, lang), color: '#c0392b', values: f.trend.map((p) => (p.stuntingDenom > 0 ? (100 * p.stunted) / p.stuntingDenom : null)) },
    ...(outTarget !== null ? [{ label: `${t(R['report.chart.target'], {}, lang)} ${fmtNumber(outTarget, 1, lang)} %`, color: '#7f8c8d', dashed: true, values: f.trend.map(() => outTarget) }] : []),
  ], pct);
  lineChart(w.doc, w.box(120), t(R['report.chart.ds'], {}, lang), labels, [
    { label: 'D/S', color: '#2471a3', values: f.trend.map((p) => (p.registered > 0 ? (100 * p.measured) / p.registered : null)) },
  ], pct);
  const annual = annualRoutine(f);
  const years = [...new Set([...f.survey.map((s) => s.year), ...annual.keys()])].sort((a, b) => a - b);
  const pick = (kind: string) => years.map((y) => f.survey.find((s) => s.year === y && s.kind === kind)?.valuePercent ?? null);
  groupedBars(w.doc, w.box(140), t(R['report.chart.survey'], {}, lang), years.map(String), [
    { label: t(R['report.chart.surveyLegend'], {}, lang), color: '#8e44ad', values: pick('survey') },
    { label: t(R['report.chart.publishedRoutine'], {}, lang), color: '#f0b27a', values: pick('routine_published') },
    { label: t(R['report.chart.routine'], {}, lang), color: '#c0392b', values: years.map((y) => annual.get(y) ?? null) },
  ], (v) => fmtNumber(v, 1, lang));
  w.table(
    [{ header: t(R['report.col.year'], {}, lang), width: 1 }, { header: t(R['report.col.survey'], {}, lang), width: 3 }, { header: t(R['report.col.prevalence'], {}, lang), width: 1.3, align: 'right' }, { header: t(R['report.col.source'], {}, lang), width: 3 }],
    [
      ...f.survey.map((s) => ({ cells: [String(s.year), s.survey, fmtValue(s.valuePercent, 'percent', lang), s.source] })),
      ...[...annual].map(([y, v]) => ({ cells: [String(y), t(R['report.chart.routine'], {}, lang), fmtValue(v, 'percent', lang), 'Tumbuh'] })),
    ],
  );
  const kabRows = f.scorecard.filter((r) => r.level === 'kabupaten' && r.indicatorId !== 'OUT-01' && f.indicators.find((i) => i.id === r.indicatorId)?.unit === 'percent');
  const bars = kabRows.map((r) => ({
    label: `${r.indicatorId} ${shortName(m, r.indicatorId, lang)}`, value: r.value, target: r.target?.value ?? null, color: STATUS_COLORS[r.status],
  }));
  targetBars(w.doc, w.box(16 + bars.length * 14 + 18), t(R['report.chart.coverage'], {}, lang), bars, (v) => `${fmtNumber(v, 1, lang)} %`, `= ${t(R['report.chart.target'], {}, lang)}`);
}

function shortName(m: EvaluationReportModel, id: string, lang: Lang): string {
  const i = m.figures.indicators.find((x) => x.id === id);
  if (!i) return id;
  const name = lang === 'id' ? i.nameId : i.nameEn;
  return name.replace(/^(Persentase|Cakupan|Jumlah|Prevalensi)\s+/i, '').replace(/^(% of |number of )/i, '');
}

function mapSection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  w.heading(R['report.s.map']);
  const prev = new Map(m.figures.desaYear.map((d) => [d.desaCode, d.prevalence]));
  const box = w.box(430);
  choropleth(w.doc, { x: box.x, y: box.y, w: box.w - 120, h: box.h }, m.boundaries.map((b) => ({ code: b.code, polygons: b.polygons, color: prevalenceColor(prev.get(b.code) ?? null) })));
  const lx = box.x + box.w - 112;
  let ly = box.y + 10;
  w.doc.font('Helvetica-Bold').fontSize(7).fillColor('#000000').text(w.tr(R['report.map.legend']), lx, ly, { width: 112 });
  ly = w.doc.y + 4;
  for (const band of [...PREVALENCE_BANDS, { label: t(R['report.map.nodata'], {}, lang), color: prevalenceColor(null) }]) {
    w.doc.rect(lx, ly, 12, 9).fillColor(band.color).fill();
    w.doc.font('Helvetica').fontSize(7).fillColor('#000000').text(pdfSafe(band.label.replace('.', lang === 'id' ? ',' : '.')), lx + 16, ly + 1, { width: 96 });
    ly += 13;
  }
  w.doc.y = box.y + box.h + 6;
  w.para(t(R['report.map.note'], {}, lang), 7);
}

/** A light tint of a #rrggbb colour (blended with white), so black text on it stays readable. */
function tint(hex: string, strength: number): string {
  const c = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16);
    return Math.round(255 - (255 - v) * strength).toString(16).padStart(2, '0');
  };
  return `#${c(1)}${c(3)}${c(5)}`;
}

// pdfkit reads only #rrggbb: an alpha suffix (#rrggbbaa) is misread as another colour entirely.
function statusFill(r: ScorecardRow | undefined): string | null {
  return r ? tint(STATUS_COLORS[r.status], 0.35) : null;
}

function scorecardSection(w: Writer, m: EvaluationReportModel, kinds?: readonly string[]): void {
  const f = m.figures;
  const lang = w.lang;
  const kab = f.scorecard.filter((r) => r.level === 'kabupaten');
  const bySector = new Map<string, ScorecardRow[]>();
  for (const ind of f.indicators) {
    if (kinds && !kinds.includes(ind.kind)) continue;
    const r = kab.find((x) => x.indicatorId === ind.id);
    if (!r) continue;
    const list = bySector.get(ind.sector) ?? [];
    list.push(r);
    bySector.set(ind.sector, list);
  }
  const cols: Col[] = [
    { header: t(R['report.col.id'], {}, lang), width: 0.8 }, { header: t(R['report.col.indicator'], {}, lang), width: 4 },
    { header: t(R['report.col.target'], {}, lang), width: 1.6, align: 'right' }, { header: t(R['report.col.value'], {}, lang), width: 1.2, align: 'right' },
    { header: t(R['report.col.numden'], {}, lang), width: 1.4, align: 'right' }, { header: t(R['report.col.status'], {}, lang), width: 1.3 },
    { header: t(R['report.col.trend'], {}, lang), width: 1.4 }, { header: t(R['report.col.source'], {}, lang), width: 1.8 },
  ];
  for (const [sector, rows] of bySector) {
    w.ensure(40);
    w.doc.moveDown(0.4).font('Helvetica-Bold').fontSize(10).fillColor('#000000').text(`${w.tr(R['report.col.sector'])}: ${pdfSafe(sectorName(m, sector, lang))}`, M, w.doc.y, { width: W });
    w.doc.moveDown(0.2).font('Helvetica');
    w.table(cols, rows.map((r) => {
      const ind = f.indicators.find((i) => i.id === r.indicatorId);
      return {
        cells: [
          r.indicatorId, `${lang === 'id' ? ind?.nameId : ind?.nameEn}${ind?.direction === 'lower_better' ? ` (${lang === 'id' ? 'makin rendah makin baik' : 'lower is better'})` : ''}`,
          targetText(r, ind?.unit ?? 'percent', lang), fmtValue(r.value, ind?.unit ?? 'percent', lang),
          r.numerator !== null && r.denominator !== null ? `${fmtNumber(r.numerator, 0, lang)}/${fmtNumber(r.denominator, 0, lang)}` : r.numerator !== null ? fmtNumber(r.numerator, 0, lang) : '–',
          statusText(r.status, lang), trendText(r, ind?.unit ?? 'percent', lang),
          `${r.method === 'by_name' ? t(R['report.byName'], {}, lang) : r.source}; ${t(R['report.col.completeness'], {}, lang).toLowerCase()} ${fmtValue(r.completeness, 'percent', lang)}`,
        ],
        fill: [null, null, null, null, null, statusFill(r), null, null],
      };
    }), 6.5);
  }
  w.para(t(R['report.statusLegend'], { achieved: fmtNumber(f.settings.thresholds.achievedRatio, 2, lang), near: fmtNumber(f.settings.thresholds.nearRatio, 2, lang) }, lang), 7);
}

function sectorName(m: EvaluationReportModel, sector: string, lang: Lang): string {
  const names: Record<string, { id: string; en: string }> = {
    hasil: { id: 'Hasil (outcome)', en: 'Outcome' }, kesehatan: { id: 'Kesehatan', en: 'Health' },
    keluarga_berencana: { id: 'Keluarga berencana & pendampingan keluarga', en: 'Family planning & family assistance' },
    air_sanitasi: { id: 'Air minum & sanitasi', en: 'Water & sanitation' }, perlindungan_sosial: { id: 'Perlindungan sosial', en: 'Social protection' },
    komunikasi: { id: 'Komunikasi perubahan perilaku', en: 'Behaviour-change communication' },
  };
  return names[sector]?.[lang] ?? sector;
}

function kecamatanMatrix(w: Writer, m: EvaluationReportModel): void {
  const f = m.figures;
  const lang = w.lang;
  w.sub(R['report.s.kecamatan']);
  const kec = f.regions.filter((r) => r.level === 'kecamatan');
  const cell = new Map(f.scorecard.filter((r) => r.level === 'kecamatan').map((r) => [`${r.indicatorId}|${r.regionCode}`, r]));
  w.table(
    [{ header: t(R['report.col.indicator'], {}, lang), width: 1.1 }, ...kec.map((k) => ({ header: k.name, width: 1.3, align: 'center' as const }))],
    f.indicators.map((ind) => ({
      cells: [ind.id, ...kec.map((k) => {
        const r = cell.get(`${ind.id}|${k.code}`);
        return r ? `${fmtValue(r.value, ind.unit, lang)} ${t(`report.statusShort.${r.status}`, {}, lang)}` : '–';
      })],
      fill: [null, ...kec.map((k) => statusFill(cell.get(`${ind.id}|${k.code}`)))],
    })), 6.5);
}

function desaSummary(w: Writer, m: EvaluationReportModel): void {
  const f = m.figures;
  const lang = w.lang;
  w.sub(R['report.s.desa']);
  const rows = f.scorecard.filter((r) => r.level === 'desa');
  const byDesa = new Map<string, ScorecardRow[]>();
  for (const r of rows) byDesa.set(r.regionCode, [...(byDesa.get(r.regionCode) ?? []), r]);
  const desa = f.regions.filter((r) => r.level === 'desa');
  w.table(
    [{ header: t(R['report.col.desa'], {}, lang), width: 2.2 }, { header: t(R['report.col.kecamatan'], {}, lang), width: 1.6 },
      { header: `${t(R['report.col.prevalence'], {}, lang)} (OUT-01)`, width: 1.2, align: 'right' }, { header: `${t(R['report.col.ds'], {}, lang)} (SPE-07)`, width: 1.1, align: 'right' },
      { header: t(R['report.col.counts'], {}, lang), width: 1.4, align: 'center' }],
    desa.map((d) => {
      const list = byDesa.get(d.code) ?? [];
      const get = (id: string) => list.find((x) => x.indicatorId === id);
      const c = (s: string) => list.filter((x) => x.status === s).length;
      return {
        cells: [d.name, regionName(f.regions, d.parentCode), fmtValue(get('OUT-01')?.value, 'percent', lang), fmtValue(get('SPE-07')?.value, 'percent', lang),
          `${c('tercapai')} / ${c('hampir_tercapai')} / ${c('belum_tercapai')} / ${c('tidak_ada_data')}`],
        fill: [null, null, statusFill(get('OUT-01')), statusFill(get('SPE-07')), null],
      };
    }), 6.5);
}

function validitySection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  w.heading(R['report.s.validity']);
  if (m.figures.validity.length === 0) { w.para(t(R['report.noValidity'], {}, lang)); return; }
  w.table(
    [{ header: t(R['report.col.kecamatan'], {}, lang), width: 1.5 }, { header: t(R['report.col.month'], {}, lang), width: 0.9 },
      { header: t(R['report.col.measurements'], {}, lang), width: 1, align: 'right' }, { header: t(R['report.col.score'], {}, lang), width: 0.7, align: 'right' },
      { header: t(R['report.col.problems'], {}, lang), width: 6 }],
    m.figures.validity.map((v) => ({
      cells: [regionName(m.figures.regions, v.regionCode), fmtMonth(v.month, lang), fmtNumber(v.measurements, 0, lang), fmtNumber(v.score, 0, lang),
        v.problems.map((p) => `${lang === 'id' ? p.id : p.en} → ${lang === 'id' ? p.fixId : p.fixEn}`).join('\n') || '–'],
      fill: [null, null, null, v.score === null ? null : v.score >= 85 ? '#2e86c155' : v.score >= 70 ? '#f4d03f55' : '#e74c3c55', null],
    })), 6.5);
}

function prioritySection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  const f = m.figures;
  w.heading(R['report.s.priority']);
  if (f.priority.length === 0) { w.para(t(R['report.none'], {}, lang)); return; }
  w.table(
    [{ header: t(R['report.col.rank'], {}, lang), width: 0.4 }, { header: t(R['report.col.desa'], {}, lang), width: 1.6 }, { header: t(R['report.col.kecamatan'], {}, lang), width: 1.3 },
      { header: t(R['report.col.score'], {}, lang), width: 0.6, align: 'right' }, { header: t(R['report.col.prevalenceShrunk'], {}, lang), width: 1.2, align: 'right' },
      { header: t(R['report.col.ds'], {}, lang), width: 0.7, align: 'right' }, { header: t(R['report.col.reasons'], {}, lang), width: 4 }],
    f.priority.map((p) => ({
      cells: [p.rank === null ? '–' : String(p.rank), regionName(f.regions, p.desaCode), regionName(f.regions, p.desaCode.slice(0, 8)), p.score === null ? '–' : fmtNumber(p.score, 0, lang),
        `${fmtValue(p.rawPrevalence, 'percent', lang)} (${fmtValue(p.shrunkPrevalence, 'percent', lang)})`, fmtValue(p.coverage, 'percent', lang), priorityReasons(p, lang)],
    })), 7);
}

function barriersSection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  w.heading(R['report.s.barriers']);
  if (m.barriers.length === 0) w.para(t(R['report.none'], {}, lang));
  else w.table(
    [{ header: t(R['report.col.level'], {}, lang), width: 0.9 }, { header: t(R['report.col.region'], {}, lang), width: 1.4 }, { header: t(R['report.col.sector'], {}, lang), width: 1.2 },
      { header: t(R['report.col.line'], {}, lang), width: 0.9 }, { header: t(R['report.col.id'], {}, lang), width: 0.7 }, { header: t(R['report.col.barrier'], {}, lang), width: 4.5 }],
    m.barriers.map((b) => ({ cells: [t(`report.level.${b.level}`, {}, lang), b.regionCode ? regionName(m.figures.regions, b.regionCode) : '–', b.sector ?? '–', b.interventionLine ?? '–', b.indicatorId ?? '–', b.description] })), 7);
  if (m.notes.length) {
    w.sub(R['report.s.notes']);
    for (const n of m.notes) w.para(`• ${n.kind === 'fgd' ? 'FGD' : lang === 'id' ? 'Peluang' : 'Opportunity'}${n.groupName ? ` (${n.groupName})` : ''}: ${n.note}`, 8);
  }
}

function followUpSection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  w.heading(R['report.s.followUp']);
  const cols: Col[] = [
    { header: '#', width: 0.4 }, { header: t(R['report.col.action'], {}, lang), width: 3 }, { header: t(R['report.col.stakeholder'], {}, lang), width: 1.5 },
    { header: t(R['report.col.owner'], {}, lang), width: 1.4 }, { header: t(R['report.col.due'], {}, lang), width: 1 }, { header: t(R['report.col.status'], {}, lang), width: 1.1 },
    { header: t(R['report.col.indicator'], {}, lang), width: 0.9 }, { header: t(R['report.col.regions'], {}, lang), width: 1.4 }, { header: t(R['report.col.progress'], {}, lang), width: 2 },
  ];
  const rows = m.actions.map((a) => {
    const last = a.notes.at(-1);
    return {
      cells: [String(a.id), a.title, `${a.stakeholderType.toUpperCase()}${a.stakeholderName ? `: ${a.stakeholderName}` : ''}`, a.owner, fmtDate(a.dueOn, lang),
        actionStatusText(a, lang), a.indicatorIds.join(', ') || '–', a.regionCodes.map((c) => regionName(m.figures.regions, c)).join(', ') || '–',
        last ? `${last.progressPercent !== null ? `${last.progressPercent} %: ` : ''}${last.note}${last.evidence || last.evidenceUrl ? ` [${last.evidence ?? last.evidenceUrl}]` : ''}` : '–'],
      fill: [null, null, null, null, null, a.status === 'terlambat' ? '#e74c3c55' : a.status === 'selesai' ? '#27ae6055' : null, null, null, null],
    };
  });
  if (rows.length === 0) w.para(t(R['report.none'], {}, lang));
  else w.table(cols, rows, 6.5);
  if (m.carried.length) {
    w.sub(R['report.s.carried']);
    w.table(
      [{ header: '#', width: 0.4 }, { header: t(R['report.col.action'], {}, lang), width: 3 }, { header: t(R['report.col.owner'], {}, lang), width: 1.4 },
        { header: t(R['report.col.status'], {}, lang), width: 1.1 }, { header: t(R['report.col.movement'], {}, lang), width: 4 }],
      m.carried.map((a) => ({
        cells: [String(a.id), a.title, a.owner, actionStatusText(a, lang),
          a.movements.map((mv) => {
            const unit = m.figures.indicators.find((i) => i.id === mv.indicatorId)?.unit ?? 'percent';
            return `${mv.indicatorId} ${regionName(m.figures.regions, mv.regionCode)}: ${fmtValue(mv.before, unit, lang)} → ${fmtValue(mv.after, unit, lang)} (${t(`report.trend.${mv.trend}`, {}, lang)})`;
          }).join('\n') || '–'],
      })), 6.5);
  }
}

function rolesSection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  const f = m.figures;
  w.heading(R['report.s.roles']);
  if (m.roles.cells.length === 0) w.para(t(R['report.none'], {}, lang));
  else w.table(
    [{ header: t(R['report.col.stakeholder'], {}, lang), width: 2.4 }, { header: t(R['report.col.indicator'], {}, lang), width: 0.8 },
      { header: t(R['report.col.region'], {}, lang), width: 1.8 }, { header: t(R['report.col.basis'], {}, lang), width: 2 }],
    m.roles.cells.map((c) => ({
      cells: [`${c.stakeholderType.toUpperCase()}: ${c.stakeholder}`, c.indicatorId, regionName(f.regions, c.regionCode),
        [...c.actions.map((a) => `RTL #${a}`), ...c.commitments.map((x) => (lang === 'id' ? `komitmen mitra #${x}` : `partner commitment #${x}`))].join(', ')],
    })), 6.5);
  w.sub(R['report.s.gaps']);
  const byInd = new Map<string, string[]>();
  for (const g of m.roles.gaps) byInd.set(g.indicatorId, [...(byInd.get(g.indicatorId) ?? []), g.desaCode]);
  if (byInd.size === 0) { w.para(t(R['report.none'], {}, lang)); return; }
  w.table(
    [{ header: t(R['report.col.indicator'], {}, lang), width: 0.8 }, { header: t(R['report.col.opd'], {}, lang), width: 1.8 }, { header: 'n', width: 0.4, align: 'right' },
      { header: t(R['report.col.offTrackDesa'], {}, lang), width: 5 }],
    [...byInd].map(([ind, desa]) => ({
      cells: [ind, f.indicators.find((i) => i.id === ind)?.opd ?? '–', String(desa.length),
        desa.slice(0, 12).map((d) => regionName(f.regions, d)).join(', ') + (desa.length > 12 ? ` ${t(R['report.gapsMore'], { n: desa.length - 12 }, lang)}` : '')],
    })), 6.5);
}

function kemenkesSection(w: Writer, m: EvaluationReportModel): void {
  const lang = w.lang;
  w.sub(R['report.s.kemenkes']);
  w.table(
    [{ header: t(R['report.col.id'], {}, lang), width: 0.8 }, { header: t(R['report.col.indicator'], {}, lang), width: 4 }, { header: t(R['report.col.mapsTo'], {}, lang), width: 1 },
      { header: t(R['report.col.target2023'], {}, lang), width: 1, align: 'right' }, { header: t(R['report.col.value'], {}, lang), width: 1, align: 'right' }],
    m.figures.kemenkes.map((k) => ({ cells: [k.id, lang === 'id' ? k.nameId : k.nameEn, k.mapsTo ?? '–', fmtValue(k.target2023, 'percent', lang), fmtValue(k.value, 'percent', lang)] })), 6.5);
}

function footer(doc: Doc, lang: Lang, label: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font('Helvetica').fontSize(7).fillColor('#777777')
      .text(pdfSafe(`${label} — ${t(R['report.page'], { n: i + 1 }, lang)} — ${t(R['report.generated'], {}, lang)}`), M, PAGE_H - M + 10, { width: W, align: 'center', lineBreak: false });
  }
}

/** Renders the report of `model` as PDF bytes. */
export async function renderEvaluationPdf(model: EvaluationReportModel, lang: Lang, template: ReportTemplate = 'tpps'): Promise<Buffer> {
  const stamp = new Date(model.round.frozenAt ?? model.figures.computedAt);
  const doc = new PDFDocument({
    size: 'A4', margin: M, bufferPages: true, compress: true,
    info: { Title: pdfSafe(`${t(template === 'semester' ? R['report.semesterTitle'] : R['report.title'], {}, lang)} — ${model.figures.kabupaten.name}`), Author: 'Tumbuh', CreationDate: stamp, ModDate: stamp },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });
  const w = new Writer(doc, lang);
  cover(w, model, template);
  doc.addPage();
  summary(w, model);
  if (template === 'tpps') {
    trendSection(w, model);
    doc.addPage();
    mapSection(w, model);
    doc.addPage();
    w.heading(R['report.s.scorecard']);
    scorecardSection(w, model);
    kemenkesSection(w, model);
    kecamatanMatrix(w, model);
    desaSummary(w, model);
    validitySection(w, model);
    prioritySection(w, model);
    barriersSection(w, model);
    followUpSection(w, model);
    rolesSection(w, model);
  } else {
    w.heading(R['report.s.outcome']);
    scorecardSection(w, model, ['outcome']);
    trendSection(w, model);
    w.heading(R['report.s.blok1a']);
    scorecardSection(w, model, ['spesifik']);
    w.heading(R['report.s.blok1b']);
    scorecardSection(w, model, ['sensitif']);
    kecamatanMatrix(w, model);
    doc.addPage();
    mapSection(w, model);
    prioritySection(w, model);
    validitySection(w, model);
    barriersSection(w, model);
    followUpSection(w, model);
    rolesSection(w, model);
  }
  footer(doc, lang, `${model.figures.kabupaten.name} · ${fmtDate(model.figures.period.start, lang)} – ${fmtDate(model.figures.period.end, lang)}`);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
