// Writes docs/openapi.json from the route schemas. Run: npm run openapi
import fs from 'node:fs';
import { generateOpenApiDocument } from '../src/http/openapi.js';

fs.writeFileSync(new URL('../docs/openapi.json', import.meta.url), await generateOpenApiDocument());
process.stdout.write('Wrote docs/openapi.json\n');
