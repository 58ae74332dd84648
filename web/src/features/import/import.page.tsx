import { useState, type FormEvent } from 'react';
import type { ImportList, ImportResult } from '../../../../src/api/imports.schema.js';
import { downloadFile, uploadWithProgress } from '../../api/client.js';
import { PATHS } from '../../api/paths.js';
import { useApi } from '../../api/use-api.js';
import { DataTable, type Column } from '../../components/data-table.component.js';
import { ErrorMessage, Loaded } from '../../components/states.component.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';

const KINDS = ['eppgbm', 'ibu-hamil', 'ibu-nifas', 'remaja-putri', 'catin', 'keluarga', 'kunjungan-tpk', 'sektor'] as const;
type Issue = ImportResult['rejects'][number];

function Summary({ r }: { r: ImportResult }) {
  const { t, lang, pick } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const columns: Column<Issue>[] = [
    { key: 'row', label: t('import.row'), value: (i) => i.row, numeric: true },
    { key: 'column', label: t('import.column'), value: (i) => i.column },
    { key: 'value', label: t('import.value'), value: (i) => i.value },
    { key: 'reason', label: t('import.reason'), value: (i) => pick(i.reason) },
  ];
  const facts: [MessageKey, number][] = [
    ['import.read', r.read], ['import.accepted', r.accepted], ['import.rejected', r.rejected], ['import.inserted', r.inserted],
    ['import.updated', r.updated], ['import.unchanged', r.unchanged], ['import.newChildren', r.newChildren], ['import.warnings', r.warningCount],
  ];
  return (
    <section className="panel" data-testid="import-summary">
      <h2>{r.dryRun ? t('import.resultDry', { file: r.file }) : t('import.result', { file: r.file })}</h2>
      {r.sameFileBatch !== null && <p className="warn">{t('import.sameFile', { batch: r.sameFileBatch })}</p>}
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}><dt>{t(k)}</dt><dd>{formatNumber(lang, v)}</dd></div>
        ))}
      </dl>
      {r.newPosyandu.length > 0 && <p>{t('import.newPosyandu', { names: r.newPosyandu.map((p) => p.name).join(', ') })}</p>}
      {r.rejected > 0 && (
        <>
          <h3>{t('import.rejectsTitle')}</h3>
          {r.batchId !== null && (
            <button type="button" onClick={() => { downloadFile(PATHS.importRejects(r.batchId as number), undefined, `tolak-${r.batchId}.csv`).catch(setError); }}>
              {t('import.downloadRejects')}
            </button>
          )}
          {error !== null && <ErrorMessage error={error} />}
          <DataTable columns={columns} rows={r.rejects} caption={t('import.rejectsTitle')} fileName="baris-ditolak" rowKey={(i, n) => `${i.row}-${i.column}-${n}`} pageSize={20} />
        </>
      )}
    </section>
  );
}

/** Impor: upload an e-PPGBM export or a filled template, with progress, summary and rejects. */
export default function ImportPage() {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('eppgbm');
  const [dryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const history = useApi<ImportList>(PATHS.imports);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.set('kind', kind);
    form.set('dryRun', dryRun ? 'true' : 'false');
    form.set('file', file, file.name);
    setProgress(0);
    setResult(null);
    setError(null);
    try {
      setResult(await uploadWithProgress<ImportResult>(PATHS.imports, form, setProgress));
      history.reload();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  type Batch = ImportList['batches'][number];
  const columns: Column<Batch>[] = [
    { key: 'id', label: t('import.batch'), value: (b) => b.id, numeric: true },
    { key: 'file', label: t('import.file'), value: (b) => b.fileName },
    { key: 'kind', label: t('import.kind'), value: (b) => b.kind },
    { key: 'status', label: t('import.status'), value: (b) => b.status },
    { key: 'loaded', label: t('import.accepted'), value: (b) => b.rowsLoaded, render: (b) => formatNumber(lang, b.rowsLoaded), numeric: true },
    { key: 'rejected', label: t('import.rejected'), value: (b) => b.rowsRejected, render: (b) => formatNumber(lang, b.rowsRejected), numeric: true },
    { key: 'by', label: t('import.by'), value: (b) => b.importedBy },
    { key: 'at', label: t('import.at'), value: (b) => b.startedAt, render: (b) => formatDateTime(lang, b.startedAt) },
    {
      key: 'rejects', label: t('import.rejectsTitle'), value: () => null,
      render: (b) => (b.rowsRejected > 0 ? <button type="button" className="link" onClick={() => { downloadFile(PATHS.importRejects(b.id), undefined, `tolak-${b.id}.csv`).catch(setError); }}>{t('import.downloadRejects')}</button> : '–'),
    },
  ];

  return (
    <section>
      <h1>{t('import.title')}</h1>
      <form className="panel form" onSubmit={submit}>
        <label>
          {t('import.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`importKind.${k}` as MessageKey)}</option>)}
          </select>
        </label>
        <label>
          {t('import.file')}
          <input type="file" name="file" accept=".xls,.xlsx,.csv,.html,.htm" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
          {t('import.dryRun')}
        </label>
        <button type="submit" disabled={!file || progress !== null}>{t('import.upload')}</button>
        {progress !== null && (
          <div className="progress">
            <progress value={progress} max={1} aria-label={t('import.progress')} />
            <span>{progress < 1 ? t('import.uploading', { percent: formatNumber(lang, progress * 100) }) : t('import.processing')}</span>
          </div>
        )}
      </form>
      {error !== null && <ErrorMessage error={error} />}
      {result && <Summary r={result} />}
      <section className="panel">
        <h2>{t('import.history')}</h2>
        <Loaded state={history}>
          {(h) => <DataTable columns={columns} rows={h.batches} caption={t('import.history')} fileName="riwayat-impor" rowKey={(b) => b.id} pageSize={20} />}
        </Loaded>
      </section>
    </section>
  );
}
