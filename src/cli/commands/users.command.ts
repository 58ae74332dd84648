import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { ROLES, SYSTEM_SCOPE, type Role } from '../../auth/access.js';
import { generatePassword } from '../../auth/password.js';
import { createUser, disableUser, getUser, listUsers, resetPassword, type UserView } from '../../auth/users.service.js';
import type { CliCommand, CliIO } from '../command.js';
import { optionTokens } from '../options.js';

const M = defineMessages({
  'users.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh users create NAMA --role PERAN [--name "Nama Tampilan"] [--region KODE]… [--posyandu ID] [--puskesmas ID] [--sector SEKTOR] [--password-stdin] | reset NAMA [--password-stdin] | disable NAMA | list [--role PERAN] [--all] [--format text|json]',
    en: 'Wrong arguments. Usage: tumbuh users create NAME --role ROLE [--name "Display Name"] [--region CODE]… [--posyandu ID] [--puskesmas ID] [--sector SECTOR] [--password-stdin] | reset NAME [--password-stdin] | disable NAME | list [--role ROLE] [--all] [--format text|json]',
  },
  'users.created': { id: 'Akun {username} ({role}) dibuat, id {id}.', en: 'Account {username} ({role}) created, id {id}.' },
  'users.reset': { id: 'Kata sandi {username} diatur ulang; semua sesinya diakhiri.', en: 'Password of {username} reset; all its sessions ended.' },
  'users.disabled': { id: 'Akun {username} dinonaktifkan; semua sesinya diakhiri.', en: 'Account {username} disabled; all its sessions ended.' },
  'users.password': {
    id: 'Kata sandi sementara (ditampilkan sekali saja, wajib diganti saat masuk pertama): {password}',
    en: 'Temporary password (shown this once only, must be changed at first login): {password}',
  },
  'users.mustChange': {
    id: 'Pengguna wajib mengganti kata sandi saat masuk pertama.',
    en: 'The user must change the password at first login.',
  },
  'users.emptyStdin': { id: 'Tidak ada kata sandi di masukan standar (stdin).', en: 'No password on standard input (stdin).' },
  'users.none': { id: 'Tidak ada akun.', en: 'No accounts.' },
  'users.total': { id: '{count} akun', en: '{count} accounts' },
});

const HELP = `tumbuh users create NAMA --role PERAN [--name "Nama Tampilan"] [--region KODE]… [--posyandu ID]
                   [--puskesmas ID] [--sector SEKTOR] [--password-stdin]
tumbuh users reset NAMA [--password-stdin]
tumbuh users disable NAMA
tumbuh users list [--role PERAN] [--all] [--format text|json]

Mengelola akun server Tumbuh. / Manage the accounts of the Tumbuh server.
Peran / roles: ${ROLES.join(', ')}.
Wilayah per peran / scope per role:
  admin      —                               semua / everything
  provinsi   --region 62                     provinsi
  tpps, opd, viewer --region 62.01           kabupaten (opd juga --sector: kesehatan, air_sanitasi, …)
  desa, tpk  --region 62.01.01.2001          desa/kelurahan
  csr        --region DESA [--region DESA]…  daftar desa / list of desa (atau KODE,KODE)
  puskesmas  --puskesmas ID                  wilayah kerja puskesmas / its catchment
  kader      --posyandu ID                   posyandu
Tanpa --password-stdin dibuat kata sandi acak yang dicetak sekali. / Without --password-stdin a
random password is generated and printed once. Kata sandi baru wajib diganti saat masuk pertama.
/ A new password must be changed at first login.

Kode keluar / exit code: 0 = selesai / done; 2 = argumen atau data salah / wrong arguments or data.`;

interface Options {
  action: 'create' | 'reset' | 'disable' | 'list';
  username?: string;
  role?: Role;
  name?: string;
  regions: string[];
  posyandu?: number;
  puskesmas?: number;
  sector?: string;
  passwordStdin: boolean;
  all: boolean;
  format: 'text' | 'json';
}

function parseArgs(args: string[]): Options | 'help' {
  const usage = () => new AppError('usage', M['users.usage']);
  const [action, ...rest] = args;
  if (action === '-h' || action === '--help') return 'help';
  if (action !== 'create' && action !== 'reset' && action !== 'disable' && action !== 'list') throw usage();
  const o: Options = { action, regions: [], passwordStdin: false, all: false, format: 'text' };
  const id = (v: string) => {
    if (!/^[0-9]{1,15}$/.test(v)) throw usage();
    return Number(v);
  };
  for (const tok of optionTokens(rest, usage)) {
    const a = tok.arg;
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--role') {
      const r = tok.value();
      if (!(ROLES as readonly string[]).includes(r)) throw usage();
      o.role = r as Role;
    } else if (a === '--name') o.name = tok.value();
    else if (a === '--region') o.regions.push(...tok.value().split(',').map((s) => s.trim()).filter((s) => s !== ''));
    else if (a === '--posyandu') o.posyandu = id(tok.value());
    else if (a === '--puskesmas') o.puskesmas = id(tok.value());
    else if (a === '--sector') o.sector = tok.value();
    else if (a === '--password-stdin') o.passwordStdin = true;
    else if (a === '--all') o.all = true;
    else if (a === '--format') {
      const f = tok.value();
      if (f !== 'text' && f !== 'json') throw usage();
      o.format = f;
    } else if (!a.startsWith('-') && o.username === undefined && action !== 'list') o.username = a;
    else throw usage();
  }
  if (action !== 'list' && !o.username) throw usage();
  if (action === 'create' && !o.role) throw usage();
  if (action !== 'create' && (o.name || o.regions.length || o.posyandu !== undefined || o.puskesmas !== undefined || o.sector)) throw usage();
  if (action !== 'list' && (o.all || (o.role && action !== 'create'))) throw usage();
  if ((action === 'disable' || action === 'list') && o.passwordStdin) throw usage();
  return o;
}

/** The first line of standard input (the password), without its line ending. */
async function readPasswordFromStdin(io: CliIO): Promise<string> {
  const stdin = (io as CliIO & { stdin?: NodeJS.ReadableStream }).stdin ?? process.stdin;
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  const pw = text.split(/\r?\n/)[0];
  if (!pw) throw new AppError('usage', M['users.emptyStdin']);
  return pw;
}

function scopeText(u: UserView): string {
  if (u.posyanduId !== null) return `posyandu ${u.posyanduId}`;
  if (u.puskesmasId !== null) return `puskesmas ${u.puskesmasId}`;
  const r = u.regionCodes.join(',') || '*';
  return u.sector ? `${r} (${u.sector})` : r;
}

/** `tumbuh users`: create, reset, disable and list accounts of the server. */
export const usersCommand: CliCommand = {
  name: 'users',
  async run(args, io) {
    const o = parseArgs(args);
    if (o === 'help') {
      io.stdout.write(HELP + '\n');
      return 0;
    }
    const w = (s: string) => io.stdout.write(s + '\n');
    const supplied = o.passwordStdin ? await readPasswordFromStdin(io) : null;
    const handle = await openDatabase({ env: io.env, cwd: io.cwd });
    try {
      const db = handle.db;
      if (o.action === 'create') {
        const password = supplied ?? generatePassword();
        const u = await createUser(db, SYSTEM_SCOPE, {
          username: o.username as string,
          displayName: o.name ?? (o.username as string),
          role: o.role as Role,
          password,
          regionCodes: o.regions,
          posyanduId: o.posyandu ?? null,
          puskesmasId: o.puskesmas ?? null,
          sector: o.sector ?? null,
        });
        w(bilingualLine(M['users.created'], { username: u.username, role: u.role, id: u.id }));
        w(supplied ? bilingualLine(M['users.mustChange']) : bilingualLine(M['users.password'], { password }));
        return 0;
      }
      if (o.action === 'reset') {
        const target = await getUser(db, SYSTEM_SCOPE, o.username as string);
        const password = supplied ?? generatePassword();
        await resetPassword(db, SYSTEM_SCOPE, target.id, password);
        w(bilingualLine(M['users.reset'], { username: target.username }));
        w(supplied ? bilingualLine(M['users.mustChange']) : bilingualLine(M['users.password'], { password }));
        return 0;
      }
      if (o.action === 'disable') {
        const target = await getUser(db, SYSTEM_SCOPE, o.username as string);
        await disableUser(db, SYSTEM_SCOPE, target.id);
        w(bilingualLine(M['users.disabled'], { username: target.username }));
        return 0;
      }
      const { total, users } = await listUsers(db, SYSTEM_SCOPE, { role: o.role, active: o.all ? undefined : true, limit: 500 });
      if (o.format === 'json') {
        w(JSON.stringify({ total, users }));
        return 0;
      }
      if (users.length === 0) {
        w(bilingualLine(M['users.none']));
        return 0;
      }
      for (const u of users) {
        const flags = [u.active ? '' : 'disabled', u.lockedUntil && u.lockedUntil > new Date() ? 'locked' : '', u.totpEnabled ? 'totp' : '', u.mustChangePassword ? 'must-change' : '']
          .filter((f) => f !== '')
          .join(',');
        w(`${String(u.id).padStart(5)}  ${u.username.padEnd(24)} ${u.role.padEnd(10)} ${scopeText(u).padEnd(30)} ${flags}`);
      }
      w(bilingualLine(M['users.total'], { count: total }));
      return 0;
    } finally {
      await handle.close();
    }
  },
};
