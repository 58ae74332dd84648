/**
 * The printable growth card of one child (KMS-like): identity, and each visit with weight,
 * length/height, z-scores, Permenkes status and N/T — as self-contained HTML (printed from the
 * browser) or as a PDF. Holds personal data: callers audit the export.
 */
import PDFDocument from 'pdfkit';
import type { Lang } from '../common/i18n.js';

export interface GrowthCardInput {
  child: { name: string; sex: 1 | 2; birthDate: string; motherName: string | null; desaName: string; posyanduName: string | null };
  measurements: {
    measuredOn: string; ageMonths: number | null; weightKg: number | null; lenheiCm: number | null; zwei: number | null; zlen: number | null; zwfl: number | null;
    status: { weightForAge: { id: string; en: string } | null; lengthForAge: { id: string; en: string } | null; weightForLength: { id: string; en: string } | null };
    weightGain: string | null;
  }[];
}

const LABELS = {
  id: {
    title: 'Kartu Pertumbuhan Anak', name: 'Nama', sex: 'Jenis kelamin', boy: 'Laki-laki', girl: 'Perempuan', birth: 'Tanggal lahir', mother: 'Nama ibu',
    place: 'Desa / Posyandu', date: 'Tanggal', age: 'Umur (bln)', weight: 'BB (kg)', height: 'PB/TB (cm)', wfa: 'BB/U', lfa: 'PB/U–TB/U', wfl: 'BB/PB–BB/TB', nt: 'N/T',
    confidential: 'RAHASIA — data pribadi anak (UU 27/2022)',
  },
  en: {
    title: 'Child Growth Card', name: 'Name', sex: 'Sex', boy: 'Boy', girl: 'Girl', birth: 'Birth date', mother: "Mother's name",
    place: 'Village / Posyandu', date: 'Date', age: 'Age (mo)', weight: 'Weight (kg)', height: 'Length/height (cm)', wfa: 'WFA', lfa: 'LHFA', wfl: 'WFL/WFH', nt: 'N/T',
    confidential: 'CONFIDENTIAL — personal data of a child (Law 27/2022)',
  },
} as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const dec = (v: number | null, d: number, lang: Lang) => (v === null ? '–' : lang === 'id' ? v.toFixed(d).replace('.', ',') : v.toFixed(d));
const zs = (z: number | null, s: { id: string; en: string } | null, lang: Lang) => (z === null ? '–' : `${dec(z, 2, lang)}${s ? ` (${s[lang]})` : ''}`);

function rows(card: GrowthCardInput, lang: Lang): string[][] {
  return card.measurements.map((m) => [
    dmy(m.measuredOn), dec(m.ageMonths, 1, lang), dec(m.weightKg, 1, lang), dec(m.lenheiCm, 1, lang),
    zs(m.zwei, m.status.weightForAge, lang), zs(m.zlen, m.status.lengthForAge, lang), zs(m.zwfl, m.status.weightForLength, lang), m.weightGain ?? '–',
  ]);
}

/** The card as one self-contained HTML page (no scripts, inline CSS, prints on A4). */
export function renderGrowthCardHtml(card: GrowthCardInput, lang: Lang): string {
  const L = LABELS[lang];
  const head = [L.date, L.age, L.weight, L.height, L.wfa, L.lfa, L.wfl, L.nt];
  const c = card.child;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(L.title)}</title>
<style>body{font-family:sans-serif;margin:1.5cm;font-size:11pt}table{border-collapse:collapse;width:100%}th,td{border:1px solid #888;padding:4px 6px;text-align:left}th{background:#eee}.c{color:#a00;font-size:9pt}@page{size:A4}</style></head><body>
<h1>${esc(L.title)}</h1><p class="c">${esc(L.confidential)}</p>
<dl><dt>${esc(L.name)}</dt><dd>${esc(c.name)}</dd><dt>${esc(L.sex)}</dt><dd>${esc(c.sex === 1 ? L.boy : L.girl)}</dd>
<dt>${esc(L.birth)}</dt><dd>${esc(dmy(c.birthDate))}</dd><dt>${esc(L.mother)}</dt><dd>${esc(c.motherName ?? '–')}</dd>
<dt>${esc(L.place)}</dt><dd>${esc(c.desaName)} / ${esc(c.posyanduName ?? '–')}</dd></dl>
<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${rows(card, lang).map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></body></html>`;
}

/** The card as an A4 PDF. */
export async function renderGrowthCardPdf(card: GrowthCardInput, lang: Lang): Promise<Buffer> {
  const L = LABELS[lang];
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: L.title } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const c = card.child;
  doc.fontSize(16).text(L.title).moveDown(0.3);
  doc.fontSize(8).fillColor('#a00').text(L.confidential).fillColor('black').moveDown(0.5);
  doc.fontSize(10);
  for (const [k, v] of [[L.name, c.name], [L.sex, c.sex === 1 ? L.boy : L.girl], [L.birth, dmy(c.birthDate)], [L.mother, c.motherName ?? '–'], [L.place, `${c.desaName} / ${c.posyanduName ?? '–'}`]]) {
    doc.text(`${k}: ${v}`);
  }
  doc.moveDown();
  const widths = [60, 45, 45, 55, 90, 90, 90, 30];
  const line = (cells: readonly string[], bold: boolean) => {
    const y = doc.y;
    let x = 40;
    doc.fontSize(8).font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cells.forEach((v, i) => {
      doc.text(v, x, y, { width: widths[i] - 4 });
      x += widths[i];
    });
    doc.moveDown(0.4);
    doc.x = 40;
    if (doc.y > 780) doc.addPage();
  };
  line([L.date, L.age, L.weight, L.height, L.wfa, L.lfa, L.wfl, L.nt], true);
  for (const r of rows(card, lang)) line(r, false);
  doc.end();
  return done;
}
