import type { Kysely } from 'kysely';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, currentLang, defineMessages, t } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { evalDb, type Database } from '../../db/schema.js';
import { addAction, addActionNote, addBarrier, listActions, listBarriers, roundRoles, setActionStatus } from '../../evaluation/follow-up.service.js';
import { EVAL_MESSAGES } from '../../evaluation/messages.js';
import type { StakeholderType } from '../../evaluation/roles.js';
import { addRoundNote, createRound, freezeRound, getRound, listRounds, roundFigures } from '../../evaluation/round.service.js';
import { fmtValue } from '../../report/report-format.js';
import type { CliCommand, CliIO } from '../command.js';
import { ParsedArgs, todayOf } from './evaluation-args.js';

const M = defineMessages({
  'evaluation.unknownSub': { id: 'Sub-perintah tidak dikenal: {name}. Lihat tumbuh evaluation --help.', en: 'Unknown sub-command: {name}. See tumbuh evaluation --help.' },
  'evaluation.created': { id: 'Putaran #{id} dibuat: {title} ({from} s.d. {to}); putaran sebelumnya: {previous}', en: 'Round #{id} created: {title} ({from} to {to}); previous round: {previous}' },
  'evaluation.frozen': { id: 'Putaran #{id} dibekukan dengan data s.d. {asOf}.', en: 'Round #{id} frozen with data up to {asOf}.' },
  'evaluation.added': { id: '{what} #{id} ditambahkan.', en: '{what} #{id} added.' },
  'evaluation.updated': { id: 'Rencana tindak lanjut #{id}: {status}.', en: 'Follow-up action #{id}: {status}.' },
  'evaluation.targetSet': { id: 'Target {indicator} {year} ({level} {region}) = {value} dari {source}.', en: 'Target {indicator} {year} ({level} {region}) = {value} from {source}.' },
  'evaluation.targetChosen': { id: 'Sumber target {indicator} {year} untuk {kab}: {source}.', en: 'Target source of {indicator} {year} for {kab}: {source}.' },
});

const HELP = `tumbuh evaluation <sub-perintah / sub-command> [opsi / options]

  create --title T --from YYYY-MM-DD --to YYYY-MM-DD [--kind annual|semester|other] [--kabupaten 62.01]
         [--held-on D] [--place P] [--participant NAMA]... [--previous ID|none]
         [--achieved-ratio 1.0] [--near-ratio 0.9] [--trend-tolerance 0.5]
                         membuat putaran evaluasi / create an evaluation round
  list [--kabupaten K]   daftar putaran / list rounds
  show ID [--level kabupaten|kecamatan|desa] [--format text|json]
                         kartu skor (angka beku bila putaran final) / scorecard (frozen figures for a final round)
  freeze ID [--as-of D]  membekukan angka putaran / freeze the round's figures
  note --round ID --kind fgd|opportunity --note T [--group G]
  barrier add --round ID --level desa|kecamatan|sektor|kabupaten --description T [--region KODE]
         [--indicator ID] [--sector S] [--line spesifik|sensitif|tata_kelola|data] [--category C]
  barriers --round ID
  action add --round ID --title T --stakeholder opd|pkk|tpk|kader|nakes|pemdes|csr|lainnya
         [--stakeholder-name N] --owner O --due D [--indicator ID]... [--region KODE]... [--barrier ID] [--partner ID]
  action status ID direncanakan|berjalan|selesai|dibatalkan [--on D]
  action note ID --note T [--progress 0-100] [--evidence BERKAS] [--evidence-url URL]
  actions --round ID     rencana tindak lanjut (terlambat terdeteksi) / follow-up plan (overdue detected)
  roles --round ID       matriks peran dan kesenjangan / roles matrix and gaps
  target set --indicator ID --year Y --level kabupaten|kecamatan|desa --region KODE --value V --source KUNCI
  target choose --indicator ID --year Y --source KUNCI [--kabupaten K]

Hari acuan status: TUMBUH_TODAY=YYYY-MM-DD (bawaan hari ini) / day statuses are judged on (default today).
Lihat / see docs/EVALUATION.md.`;

async function defaultKabupaten(db: Kysely<Database>, given: string | undefined): Promise<string> {
  if (given) return given;
  const r = await db.selectFrom('region').select('parent_code').where('level', '=', 'kecamatan').distinct().execute();
  if (r.length !== 1 || !r[0].parent_code) throw new AppError('no_kabupaten', EVAL_MESSAGES['evaluation.noKabupaten']);
  return r[0].parent_code;
}

function out(io: CliIO, line: string): void {
  io.stdout.write(`${line}\n`);
}

async function run(db: Kysely<Database>, a: ParsedArgs, io: CliIO): Promise<number> {
  const [sub, second, third] = a.positional;
  const today = todayOf(io.env);
  const lang = currentLang();
  switch (sub) {
    case 'create': {
      const kab = await defaultKabupaten(db, a.get('--kabupaten'));
      const prev = a.get('--previous');
      const settings: Record<string, unknown> = {};
      const thresholds: Record<string, number> = {};
      if (a.num('--achieved-ratio') !== undefined) thresholds.achievedRatio = a.num('--achieved-ratio') as number;
      if (a.num('--near-ratio') !== undefined) thresholds.nearRatio = a.num('--near-ratio') as number;
      if (Object.keys(thresholds).length) settings.thresholds = thresholds;
      if (a.num('--trend-tolerance') !== undefined) settings.trendTolerance = a.num('--trend-tolerance');
      const r = await createRound(db, {
        kabupatenCode: kab, title: a.require('--title'), kind: a.oneOf('--kind', ['annual', 'semester', 'other'] as const, 'annual'),
        period: { start: a.date('--from', true) as string, end: a.date('--to', true) as string }, heldOn: a.date('--held-on') ?? null,
        place: a.get('--place') ?? null, participants: a.all('--participant'),
        previousId: prev === undefined ? undefined : prev === 'none' ? null : Number(prev), settings,
      }, { userId: null });
      out(io, bilingualLine(M['evaluation.created'], { id: r.id, title: r.title, from: r.period.start, to: r.period.end, previous: r.previousId ?? '-' }));
      return 0;
    }
    case 'list': {
      for (const r of await listRounds(db, a.get('--kabupaten'))) {
        out(io, `#${r.id}\t${r.status}${r.frozenAt ? ` (${r.asOf})` : ''}\t${r.kind}\t${r.period.start}..${r.period.end}\t${r.title}`);
      }
      return 0;
    }
    case 'show': {
      const round = await getRound(db, Number(second));
      const f = await roundFigures(db, round, today);
      const level = a.oneOf('--level', ['kabupaten', 'kecamatan', 'desa'] as const, 'kabupaten');
      const rows = f.scorecard.filter((r) => r.level === level);
      if (a.get('--format') === 'json') { out(io, JSON.stringify({ round, period: f.period, asOf: f.asOf, rows })); return 0; }
      const names = new Map(f.regions.map((r) => [r.code, r.name]));
      const unit = new Map(f.indicators.map((i) => [i.id, i.unit]));
      out(io, `${round.title} — ${f.kabupaten.name} — ${f.period.start}..${f.period.end} (${round.status === 'final' ? `beku/frozen ${f.asOf}` : `draf/draft ${f.asOf}`})`);
      for (const r of rows) {
        const u = unit.get(r.indicatorId) ?? 'percent';
        out(io, [names.get(r.regionCode) ?? r.regionCode, r.indicatorId, fmtValue(r.value, u, lang), `target ${fmtValue(r.target?.value, u, lang)} (${r.target?.sourceKey ?? '-'})`,
          t(`report.status.${r.status}`, {}, lang), t(`report.trend.${r.trend}`, {}, lang), r.method].join('\t'));
      }
      return 0;
    }
    case 'freeze': {
      const asOf = a.date('--as-of') ?? today;
      const r = await freezeRound(db, Number(second), asOf, { userId: null });
      out(io, bilingualLine(M['evaluation.frozen'], { id: r.id, asOf }));
      return 0;
    }
    case 'note': {
      const id = await addRoundNote(db, a.int('--round', true) as number, a.oneOf('--kind', ['fgd', 'opportunity'] as const), a.require('--note'), a.get('--group') ?? null);
      out(io, bilingualLine(M['evaluation.added'], { what: 'Catatan/Note', id }));
      return 0;
    }
    case 'barrier': {
      if (second !== 'add') break;
      const b = await addBarrier(db, {
        evaluationId: a.int('--round', true) as number, level: a.oneOf('--level', ['desa', 'kecamatan', 'sektor', 'kabupaten'] as const),
        description: a.require('--description'), regionCode: a.get('--region') ?? null, indicatorId: a.get('--indicator') ?? null,
        sector: a.get('--sector') ?? null, category: a.get('--category') ?? null,
        interventionLine: a.get('--line') ? a.oneOf('--line', ['spesifik', 'sensitif', 'tata_kelola', 'data'] as const) : null,
      }, { userId: null });
      out(io, bilingualLine(M['evaluation.added'], { what: 'Hambatan/Barrier', id: b.id }));
      return 0;
    }
    case 'barriers': {
      for (const b of await listBarriers(db, a.int('--round', true) as number)) {
        out(io, `#${b.id}\t${b.level}\t${b.regionCode ?? b.sector ?? '-'}\t${b.indicatorId ?? '-'}\t${b.description}`);
      }
      return 0;
    }
    case 'action': {
      if (second === 'add') {
        const id = await addAction(db, {
          evaluationId: a.int('--round', true) as number, title: a.require('--title'), description: a.get('--description') ?? null,
          stakeholderType: a.oneOf('--stakeholder', ['opd', 'pkk', 'tpk', 'kader', 'nakes', 'pemdes', 'csr', 'lainnya'] as const) as StakeholderType,
          stakeholderName: a.get('--stakeholder-name') ?? null, owner: a.require('--owner'), dueOn: a.date('--due', true) as string,
          indicatorIds: a.all('--indicator'), regionCodes: a.all('--region'), barrierId: a.int('--barrier') ?? null, partnerId: a.int('--partner') ?? null,
        }, { userId: null });
        out(io, bilingualLine(M['evaluation.added'], { what: 'RTL/Action', id }));
        return 0;
      }
      if (second === 'status') {
        const status = a.positional[3];
        await setActionStatus(db, Number(third), status ?? '', a.date('--on') ?? today, { userId: null });
        out(io, bilingualLine(M['evaluation.updated'], { id: third, status }));
        return 0;
      }
      if (second === 'note') {
        await addActionNote(db, Number(third), { note: a.require('--note'), progressPercent: a.int('--progress') ?? null, evidence: a.get('--evidence') ?? null, evidenceUrl: a.get('--evidence-url') ?? null });
        out(io, bilingualLine(M['evaluation.added'], { what: 'Catatan/Note', id: third }));
        return 0;
      }
      break;
    }
    case 'actions': {
      for (const x of await listActions(db, [a.int('--round', true) as number], today)) {
        out(io, `#${x.id}\t${t(`report.action.${x.status}`, { days: x.daysOverdue }, lang)}\t${x.dueOn}\t${x.stakeholderType}${x.stakeholderName ? `:${x.stakeholderName}` : ''}\t${x.owner}\t${x.indicatorIds.join(',') || '-'}\t${x.regionCodes.join(',') || '-'}\t${x.title}`);
      }
      return 0;
    }
    case 'roles': {
      const round = await getRound(db, a.int('--round', true) as number);
      const f = await roundFigures(db, round, today);
      const roles = await roundRoles(db, round, f, today);
      for (const c of roles.cells) out(io, `${c.stakeholderType}:${c.stakeholder}\t${c.indicatorId}\t${c.regionCode}\t${[...c.actions.map((x) => `RTL#${x}`), ...c.commitments.map((x) => `mitra#${x}`)].join(',')}`);
      out(io, `gaps/kesenjangan: ${roles.gaps.length} / off-track ${roles.offTrack}`);
      for (const g of roles.gaps) out(io, `gap\t${g.indicatorId}\t${g.desaCode}\t${g.status}`);
      return 0;
    }
    case 'target': {
      const edb = evalDb(db);
      const source = a.require('--source');
      if (!(await edb.selectFrom('target_source').select('key').where('key', '=', source).executeTakeFirst())) {
        throw new AppError('unknown_source', EVAL_MESSAGES['evaluation.unknownSource'], { key: source });
      }
      const indicator = a.require('--indicator');
      const year = a.int('--year', true) as number;
      if (second === 'set') {
        const level = a.oneOf('--level', ['provinsi', 'kabupaten', 'kecamatan', 'desa'] as const);
        const region = a.require('--region');
        const value = a.num('--value');
        if (value === undefined || value < 0) throw new AppError('usage', 'evalcli.missingOption', { name: '--value' });
        await edb.deleteFrom('target').where('indicator_id', '=', indicator).where('year', '=', year).where('level', '=', level)
          .where('region_code', '=', region).where('source_key', '=', source).where('origin', '=', 'district').execute();
        await edb.insertInto('target').values({ indicator_id: indicator, year, level, region_code: region, value, source_key: source, origin: 'district', verified: true }).execute();
        out(io, bilingualLine(M['evaluation.targetSet'], { indicator, year, level, region, value, source }));
        return 0;
      }
      if (second === 'choose') {
        const kab = await defaultKabupaten(db, a.get('--kabupaten'));
        await edb.insertInto('target_preference').values({ kabupaten_code: kab, indicator_id: indicator, year, source_key: source })
          .onConflict((oc) => oc.columns(['kabupaten_code', 'indicator_id', 'year']).doUpdateSet({ source_key: source, chosen_at: new Date() })).execute();
        out(io, bilingualLine(M['evaluation.targetChosen'], { indicator, year, kab, source }));
        return 0;
      }
      break;
    }
    default:
      break;
  }
  throw new AppError('usage', M['evaluation.unknownSub'], { name: a.positional.join(' ') || '-' });
}

export const evaluationCommand: CliCommand = {
  name: 'evaluation',
  async run(args, io) {
    try {
      const a = new ParsedArgs(args);
      if (a.flags.size > 0 || a.positional.length === 0) { out(io, HELP); return a.positional.length === 0 && a.flags.size === 0 ? 2 : 0; }
      const h = await openDatabase({ env: io.env, cwd: io.cwd, handleSignals: false });
      try {
        return await run(h.db, a, io);
      } finally {
        await h.close();
      }
    } catch (err) {
      if (err instanceof AppError) {
        io.stderr.write(`${err.messages.id} / ${err.messages.en}\n`);
        return err.code === 'usage' || err.code === 'bad_option' ? 2 : 1;
      }
      throw err;
    }
  },
};
