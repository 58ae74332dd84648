import { useMemo, useState, type ReactNode } from 'react';
import { saveBlob } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';

/** One column: a label, the value used for sorting/filtering/CSV, and an optional cell renderer. */
export interface Column<R> {
  key: string;
  label: string;
  value: (row: R) => string | number | null | undefined;
  render?: (row: R) => ReactNode;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV text (comma-separated, header row, UTF-8 BOM so spreadsheets read the accents). */
export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A table that sorts on a header click, filters on typed text and exports what it shows as CSV. */
export function DataTable<R>({ columns, rows, caption, fileName, rowKey, pageSize = 50 }: {
  columns: readonly Column<R>[];
  rows: readonly R[];
  caption: string;
  fileName: string;
  rowKey: (row: R, index: number) => string | number;
  pageSize?: number;
}) {
  const { t, lang } = useI18n();
  const [sortKey, setSortKey] = useState<string | null>(null);
  const [desc, setDesc] = useState(false);
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(pageSize);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    let out = f
      ? rows.filter((r) => columns.some((c) => String(c.value(r) ?? '').toLowerCase().includes(f)))
      : [...rows];
    const col = columns.find((c) => c.key === sortKey);
    if (col) {
      const collator = new Intl.Collator(lang === 'id' ? 'id-ID' : 'en-GB', { numeric: true });
      out = out.sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
        return desc ? -c : c;
      });
    }
    return out;
  }, [rows, columns, filter, sortKey, desc, lang]);

  const sortBy = (key: string) => {
    if (sortKey === key) setDesc(!desc);
    else {
      setSortKey(key);
      setDesc(false);
    }
  };

  return (
    <div className="table-block">
      <div className="table-tools">
        <label>
          <span className="visually-hidden">{t('table.filter')}</span>
          <input type="search" placeholder={t('table.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <span className="table-count">{t('table.rows', { shown: shown.length, total: rows.length })}</span>
        <button type="button" className="secondary" onClick={() => saveBlob(new Blob([toCsv(columns, shown)], { type: 'text/csv;charset=utf-8' }), `${fileName}.csv`)}>
          {t('table.exportCsv')}
        </button>
      </div>
      <div className="table-scroll">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" aria-sort={sortKey === c.key ? (desc ? 'descending' : 'ascending') : 'none'} className={c.numeric ? 'num' : undefined}>
                  <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sortKey === c.key ? (desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, limit).map((r, i) => (
              <tr key={rowKey(r, i)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>{c.render ? c.render(r) : (c.value(r) ?? '–')}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length > limit && (
        <button type="button" className="secondary" onClick={() => setLimit(limit + pageSize)}>{t('table.more')}</button>
      )}
    </div>
  );
}
