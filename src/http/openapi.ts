import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { buildApp } from './app.js';

/**
 * The OpenAPI document as the server serves it, built from the zod schemas of
 * every route. `npm run openapi` writes it to docs/openapi.json.
 */
export async function generateOpenApiDocument(): Promise<string> {
  // Building the app needs a database handle; no query is sent while the document is built.
  const database = await openDatabase({ kind: 'pglite-memory' });
  try {
    const app = await buildApp({ db: database.db, config: loadConfig({}), logger: false });
    await app.ready();
    const document = JSON.stringify(app.swagger(), null, 2);
    await app.close();
    return `${document}\n`;
  } finally {
    await database.close();
  }
}
