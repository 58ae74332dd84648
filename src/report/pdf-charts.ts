/**
 * Charts and the choropleth map drawn straight into a PDFKit document (server-side, no browser):
 * a line chart, grouped bars, horizontal bars against a target, and desa polygons projected
 * from lon/lat.
 */
import type PDFKit from 'pdfkit';
import { pdfSafe } from './report-format.js';

type Doc = PDFKit.PDFDocument;
export interface Box { x: number; y: number; w: number; h: number }

const AXIS = '#555555';
const GRID = '#dddddd';

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(doc: Doc, box: Box, title: string, yMax: number, fmt: (v: number) => string): Box {
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#000000').text(pdfSafe(title), box.x, box.y, { width: box.w });
  const inner = { x: box.x + 30, y: box.y + 16, w: box.w - 36, h: box.h - 34 };
  doc.font('Helvetica').fontSize(6.5);
  for (let i = 0; i <= 4; i++) {
    const y = inner.y + inner.h - (i / 4) * inner.h;
    doc.moveTo(inner.x, y).lineTo(inner.x + inner.w, y).lineWidth(0.4).strokeColor(GRID).stroke();
    doc.fillColor(AXIS).text(fmt((yMax * i) / 4), box.x, y - 3, { width: 27, align: 'right' });
  }
  doc.moveTo(inner.x, inner.y).lineTo(inner.x, inner.y + inner.h).lineTo(inner.x + inner.w, inner.y + inner.h).lineWidth(0.6).strokeColor(AXIS).stroke();
  return inner;
}

export interface Series { label: string; color: string; values: (number | null)[]; dashed?: boolean }

/** A line chart of monthly values (gaps where a value is null). */
function drawLineChart(doc: Doc, box: Box, title: string, labels: string[], series: Series[], fmt: (v: number) => string): void {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yMax = niceMax(Math.max(1, ...all) * 1.1);
  const inner = frame(doc, box, title, yMax, fmt);
  const n = labels.length;
  const xOf = (i: number) => inner.x + (n <= 1 ? inner.w / 2 : (i / (n - 1)) * inner.w);
  const yOf = (v: number) => inner.y + inner.h - (v / yMax) * inner.h;
  doc.fontSize(6).fillColor(AXIS);
  const step = Math.max(1, Math.ceil(n / 8));
  for (let i = 0; i < n; i += step) doc.text(pdfSafe(labels[i]), xOf(i) - 18, inner.y + inner.h + 3, { width: 36, align: 'center' });
  for (const s of series) {
    let open = false;
    s.values.forEach((v, i) => {
      if (v === null) { open = false; return; }
      if (!open) doc.moveTo(xOf(i), yOf(v));
      else doc.lineTo(xOf(i), yOf(v));
      open = true;
    });
    if (s.dashed) doc.dash(3, { space: 2 });
    doc.lineWidth(1.6).strokeColor(s.color).stroke();
    doc.undash();
    s.values.forEach((v, i) => { if (v !== null) doc.circle(xOf(i), yOf(v), 1.6).fillColor(s.color).fill(); });
  }
  legend(doc, inner.x + 4, inner.y + 2, series.map((s) => ({ label: s.label, color: s.color })));
}

function legend(doc: Doc, x: number, y: number, items: { label: string; color: string }[]): void {
  doc.fontSize(6.5);
  let cx = x;
  for (const it of items) {
    doc.rect(cx, y + 1, 7, 5).fillColor(it.color).fill();
    doc.fillColor('#000000').text(pdfSafe(it.label), cx + 9, y, { lineBreak: false });
    cx += 12 + doc.widthOfString(pdfSafe(it.label)) + 8;
  }
}

/** Grouped vertical bars: one group per label, one bar per series (null = no bar). */
function drawGroupedBars(doc: Doc, box: Box, title: string, labels: string[], series: Series[], fmt: (v: number) => string): void {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yMax = niceMax(Math.max(1, ...all) * 1.15);
  const inner = frame(doc, box, title, yMax, fmt);
  const gw = inner.w / Math.max(1, labels.length);
  const bw = Math.min(18, (gw * 0.8) / Math.max(1, series.length));
  labels.forEach((lab, g) => {
    const gx = inner.x + g * gw + (gw - bw * series.length) / 2;
    series.forEach((s, k) => {
      const v = s.values[g];
      if (v === null || v === undefined) return;
      const h = (v / yMax) * inner.h;
      doc.rect(gx + k * bw, inner.y + inner.h - h, bw - 1, h).fillColor(s.color).fill();
      doc.fontSize(5.5).fillColor('#000000').text(pdfSafe(fmt(v)), gx + k * bw - 6, inner.y + inner.h - h - 7, { width: bw + 12, align: 'center', lineBreak: false });
    });
    doc.fontSize(6.5).fillColor(AXIS).text(pdfSafe(lab), inner.x + g * gw, inner.y + inner.h + 3, { width: gw, align: 'center' });
  });
  legend(doc, inner.x + 4, inner.y + 2, series.map((s) => ({ label: s.label, color: s.color })));
}

export interface HBar { label: string; value: number | null; target: number | null; color: string }

/** Horizontal bars (0–100 %) with each bar's target marked. */
function drawTargetBars(doc: Doc, box: Box, title: string, bars: HBar[], fmt: (v: number) => string, targetLabel: string): void {
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#000000').text(pdfSafe(title), box.x, box.y, { width: box.w });
  doc.font('Helvetica');
  const labelW = 150;
  const top = box.y + 16;
  const rowH = Math.min(14, (box.h - 28) / Math.max(1, bars.length));
  const w = box.w - labelW - 40;
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    doc.fontSize(6.5).fillColor('#000000').text(pdfSafe(b.label), box.x, y + 1, { width: labelW - 4, height: rowH, ellipsis: true, lineBreak: false });
    doc.rect(box.x + labelW, y + 1, w, rowH - 3).fillColor('#f0f0f0').fill();
    if (b.value !== null) doc.rect(box.x + labelW, y + 1, (Math.min(100, b.value) / 100) * w, rowH - 3).fillColor(b.color).fill();
    if (b.target !== null) {
      const tx = box.x + labelW + (Math.min(100, b.target) / 100) * w;
      doc.moveTo(tx, y).lineTo(tx, y + rowH - 1).lineWidth(1.2).strokeColor('#000000').stroke();
    }
    doc.fontSize(6.5).fillColor('#000000').text(b.value === null ? '–' : pdfSafe(fmt(b.value)), box.x + labelW + w + 3, y + 1, { width: 40, lineBreak: false });
  });
  const ly = top + bars.length * rowH + 3;
  doc.moveTo(box.x + labelW, ly + 3).lineTo(box.x + labelW, ly + 9).lineWidth(1.2).strokeColor('#000000').stroke();
  doc.fontSize(6.5).text(pdfSafe(targetLabel), box.x + labelW + 4, ly + 2, { lineBreak: false });
}

export interface MapArea { code: string; polygons: [number, number][][][]; color: string }

/**
 * A choropleth: every area's polygons projected from lon/lat (equirectangular, x scaled by
 * cos of the mid latitude so shapes keep their proportions) and fitted into the box.
 */
export function choropleth(doc: Doc, box: Box, areas: MapArea[]): Box {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const a of areas) for (const poly of a.polygons) for (const ring of poly) for (const [lng, lat] of ring) {
    minX = Math.min(minX, lng); maxX = Math.max(maxX, lng); minY = Math.min(minY, lat); maxY = Math.max(maxY, lat);
  }
  if (!Number.isFinite(minX)) return { x: box.x, y: box.y, w: 0, h: 0 };
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const sx = box.w / ((maxX - minX) * k);
  const sy = box.h / (maxY - minY);
  const s = Math.min(sx, sy);
  const w = (maxX - minX) * k * s;
  const h = (maxY - minY) * s;
  const ox = box.x + (box.w - w) / 2;
  const oy = box.y + (box.h - h) / 2;
  const project = ([lng, lat]: [number, number]): [number, number] => [ox + (lng - minX) * k * s, oy + (maxY - lat) * s];
  for (const a of areas) {
    for (const poly of a.polygons) {
      for (const ring of poly) {
        if (ring.length < 3) continue;
        doc.polygon(...ring.map(project));
      }
      doc.lineWidth(0.3).fillAndStroke(a.color, '#ffffff', 'even-odd');
    }
  }
  return { x: ox, y: oy, w, h };
}

/**
 * Charts write their labels with doc.text, which moves pdfkit's text cursor into the chart. The
 * caller has already reserved the chart's box in the flow (Writer.box), so the cursor goes back to
 * where it was: below the box, where the next paragraph, table or chart must start.
 */
function keepFlow<A extends unknown[]>(draw: (doc: Doc, box: Box, ...rest: A) => void): (doc: Doc, box: Box, ...rest: A) => void {
  return (doc, box, ...rest) => {
    const { x, y } = doc;
    draw(doc, box, ...rest);
    doc.x = x;
    doc.y = y;
  };
}

/** A line chart (months on x) with its legend, inside `box`. */
export const lineChart = keepFlow(drawLineChart);
/** Grouped vertical bars (e.g. survey vs routine per year) with values on top, inside `box`. */
export const groupedBars = keepFlow(drawGroupedBars);
/** Horizontal bars with a target tick per bar (coverage against targets), inside `box`. */
export const targetBars = keepFlow(drawTargetBars);
