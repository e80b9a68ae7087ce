/**
 * The load benchmark's baseline server: `armtrace serve` as it was before the
 * embedded database got its table maintenance (same app, same database, no
 * statistics refresh). Reads ARMTRACE_DATA and ARMTRACE_PORT like the CLI.
 */
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';

const config = loadConfig();
const database = await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
const app = await buildApp({ db: database.db, config, logger: false });
const address = await app.listen({ host: '127.0.0.1', port: config.port });
process.stderr.write(`baseline armtrace is running at ${address}\n`);
process.once('SIGTERM', () => {
  void app.close().then(async () => {
    await database.close();
    process.exit(0);
  });
});
