// Child process for tests: opens Tumbuh's database on a data directory like a second `tumbuh`
// would. argv: DATA_DIR [hold]. Prints "ready" once open; with "hold" it keeps the database open
// until killed. An AppError is printed in both languages and exits 2.
import { AppError } from '../common/app-error.js';
import { openDatabase } from '../db/connection.js';

const [dataDir, mode] = process.argv.slice(2);
try {
  const handle = await openDatabase({ dataDir, durable: false, env: { TUMBUH_DATA_DIR: dataDir } });
  process.stdout.write(`ready ${handle.embedded?.pid ?? ''}\n`);
  if (mode === 'hold') await new Promise(() => undefined);
  await handle.close();
} catch (err) {
  if (err instanceof AppError) {
    process.stderr.write(`${err.messages.id}\n${err.messages.en}\n`);
    process.exit(2);
  }
  throw err;
}
