import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages, tBoth } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { dataMonths, loadAnalyticsConfig } from '../../analytics/analytics.repo.js';
import { refreshAlerts } from '../../analytics/alerts.job.js';
import { alertCounts, followUpAlert, listAlerts, type AlertListItem } from '../../analytics/alerts.service.js';
import { analyticsDb, type AlertStatus } from '../../analytics/analytics.tables.js';
import type { CliCommand, CliIO } from '../command.js';

const M = defineMessages({
  'alerts.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh alerts --desa KODE [--month YYYY-MM] [--status open|followed_up|closed] [--refresh] [--format text|json]  atau  tumbuh alerts --follow-up ID --by NAMA [--note TEKS] [--close|--reopen]',
    en: 'Wrong arguments. Usage: tumbuh alerts --desa CODE [--month YYYY-MM] [--status open|followed_up|closed] [--refresh] [--format text|json]  or  tumbuh alerts --follow-up ID --by NAME [--note TEXT] [--close|--reopen]',
  },
  'alerts.confidential': {
    id: 'RAHASIA — daftar nama anak dan ibu. Hanya untuk petugas yang menindaklanjuti; jangan dibagikan atau diunggah ke grup.',
    en: 'CONFIDENTIAL — a list of children and mothers by name. Only for the workers who follow up; do not share or post it.',
  },
  'alerts.header': { id: 'Peringatan desa {desa} ({name}), bulan {month}: {count}', en: 'Alerts of desa {desa} ({name}), month {month}: {count}' },
  'alerts.none': { id: 'Tidak ada peringatan.', en: 'No alerts.' },
  'alerts.noData': { id: 'Belum ada data pengukuran untuk kabupaten {kab}.', en: 'No measurement data for kabupaten {kab} yet.' },
  'alerts.unknownDesa': { id: 'Desa/kelurahan {desa} tidak ada.', en: 'Desa/kelurahan {desa} does not exist.' },
  'alerts.reason': { id: 'Alasan', en: 'Reason' },
  'alerts.action': { id: 'Tindakan', en: 'Action' },
  'alerts.followedUp': { id: 'Ditindaklanjuti oleh {by} pada {at}{note}', en: 'Followed up by {by} on {at}{note}' },
  'alerts.perPosyandu': { id: 'Per posyandu (terbuka / ditindaklanjuti / ditutup)', en: 'Per posyandu (open / followed up / closed)' },
  'alerts.saved': { id: 'Peringatan {id}: status {status}', en: 'Alert {id}: status {status}' },
  'alerts.months': { id: 'bln', en: 'mo' },
  'alerts.mother': { id: 'ibu', en: 'mother' },
});

const HELP = `tumbuh alerts --desa KODE [--month YYYY-MM] [--status open|followed_up|closed] [--refresh] [--format text|json]
tumbuh alerts --follow-up ID --by NAMA [--note TEKS] [--close|--reopen]

Daftar peringatan per anak (dan ibu hamil KEK) satu desa untuk satu bulan (bawaan: bulan terakhir
yang ada datanya), dengan alasan dan tindakan yang diharapkan. RAHASIA: berisi nama.
Peringatan dihitung ulang dengan --refresh (status tindak lanjut tetap); bila bulan itu belum
pernah dihitung, dihitung otomatis.
By-name alerts of one desa for one month (default: the last month with data), each with its
reason and expected action. CONFIDENTIAL: holds names. --refresh recomputes them (follow-up
statuses are kept); a month never computed is computed automatically.

--follow-up ID --by NAMA mencatat tindak lanjut (status followed_up; --close menutup, --reopen
membuka lagi). / records a follow-up (--close closes, --reopen reopens).

Kode keluar / exit code: 0 = selesai / done; 2 = argumen salah / wrong arguments.`;

interface Options {
  desa?: string;
  month?: string;
  status?: AlertStatus;
  refresh: boolean;
  format: 'text' | 'json';
  followUp?: number;
  by?: string;
  note?: string;
  close: boolean;
  reopen: boolean;
}

function parseArgs(args: string[]): Options | 'help' {
  const usage = () => new AppError('usage', M['alerts.usage']);
  const o: Options = { refresh: false, format: 'text', close: false, reopen: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      if (i + 1 >= args.length) throw usage();
      return args[++i];
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--desa') {
      o.desa = value();
      if (!/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(o.desa)) throw usage();
    } else if (a === '--month') {
      o.month = value();
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) throw usage();
    } else if (a === '--status') {
      const s = value();
      if (s !== 'open' && s !== 'followed_up' && s !== 'closed') throw usage();
      o.status = s;
    } else if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw usage();
      o.format = f;
    } else if (a === '--refresh') o.refresh = true;
    else if (a === '--follow-up') {
      const v = value();
      if (!/^\d+$/.test(v)) throw usage();
      o.followUp = Number(v);
    } else if (a === '--by') o.by = value();
    else if (a === '--note') o.note = value();
    else if (a === '--close') o.close = true;
    else if (a === '--reopen') o.reopen = true;
    else throw usage();
  }
  if (o.followUp === undefined && !o.desa) throw usage();
  if (o.followUp !== undefined && (o.desa || (o.close && o.reopen))) throw usage();
  return o;
}

function printText(io: CliIO, items: AlertListItem[], header: string): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  w(`*** ${bilingualLine(M['alerts.confidential'])} ***`);
  w(header);
  if (items.length === 0) {
    w(bilingualLine(M['alerts.none']));
    return;
  }
  for (const a of items) {
    const who = a.subject === 'child'
      ? `${a.name} (${a.sex === 1 ? 'L' : 'P'}, ${a.ageMonths ?? '–'} ${tBoth(M['alerts.months']).id})${a.motherName ? `, ${tBoth(M['alerts.mother']).id} ${a.motherName}` : ''}`
      : a.name;
    w('');
    w(`[${a.kind}] #${a.id} ${a.status} — ${a.posyanduName ?? '–'} — ${who}`);
    w(`  ${tBoth(M['alerts.reason']).id}: ${a.reason.id}`);
    w(`  ${tBoth(M['alerts.reason']).en}: ${a.reason.en}`);
    w(`  ${tBoth(M['alerts.action']).id}: ${a.action.id}`);
    w(`  ${tBoth(M['alerts.action']).en}: ${a.action.en}`);
    if (a.followedUpBy) {
      w(`  ${bilingualLine(M['alerts.followedUp'], { by: a.followedUpBy, at: a.followedUpAt?.toISOString().slice(0, 10) ?? '–', note: a.followUpNote ? ` — ${a.followUpNote}` : '' })}`);
    }
  }
}

/** `tumbuh alerts`: the by-name alert list of a desa (confidential), and follow-up recording. */
export const alertsCommand: CliCommand = {
  name: 'alerts',
  async run(args, io) {
    const o = parseArgs(args);
    if (o === 'help') {
      io.stdout.write(HELP + '\n');
      return 0;
    }
    const handle = await openDatabase({ env: io.env, cwd: io.cwd });
    try {
      const db = analyticsDb(handle.db);
      if (o.followUp !== undefined) {
        const status: AlertStatus = o.reopen ? 'open' : o.close ? 'closed' : 'followed_up';
        await followUpAlert(db, o.followUp, { status, by: o.by, note: o.note }, { userId: null });
        io.stdout.write(bilingualLine(M['alerts.saved'], { id: o.followUp, status }) + '\n');
        return 0;
      }
      const desa = o.desa as string;
      const kab = desa.slice(0, 5);
      const region = await db.selectFrom('region').select('name').where('code', '=', desa).executeTakeFirst();
      if (!region) throw new AppError('unknown_desa', M['alerts.unknownDesa'], { desa });
      const range = await dataMonths(db, kab);
      if (!range && !o.month) throw new AppError('no_data', M['alerts.noData'], { kab });
      const month = `${o.month ?? (range as { last: string }).last.slice(0, 7)}-01`;
      const stored = await db.selectFrom('child_alert').select('id').where('kabupaten_code', '=', kab).where('month', '=', month).limit(1).executeTakeFirst();
      if (o.refresh || !stored) await refreshAlerts(db, kab, month, (await loadAnalyticsConfig(db, kab)).alerts);
      const items = await listAlerts(db, { kabupatenCode: kab, desaCode: desa, month, status: o.status });
      if (o.format === 'json') {
        io.stdout.write(JSON.stringify({ confidential: tBoth(M['alerts.confidential']), desa, month, alerts: items }) + '\n');
        return 0;
      }
      printText(io, items, bilingualLine(M['alerts.header'], { desa, name: region.name, month: month.slice(0, 7), count: items.length }));
      const counts = (await alertCounts(db, kab, month, 'posyandu')).filter((c) => c.desaCode === desa);
      if (counts.length > 0) {
        const names = new Map(items.map((i) => [String(i.posyanduId ?? '-'), i.posyanduName ?? '–']));
        io.stdout.write(`\n${bilingualLine(M['alerts.perPosyandu'])}:\n`);
        for (const c of counts) io.stdout.write(`  ${(names.get(c.unit) ?? c.unit).padEnd(28)} ${c.open} / ${c.followedUp} / ${c.closed}\n`);
      }
      return 0;
    } finally {
      await handle.close();
    }
  },
};
