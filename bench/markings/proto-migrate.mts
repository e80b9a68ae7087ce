import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
const d = await openDatabase({ kind: 'postgres', url: process.argv[2]! });
console.log(await migrate(d));
await d.close();
