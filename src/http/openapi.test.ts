import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { generateOpenApiDocument } from './openapi.js';

describe('OpenAPI document', () => {
  it('committed docs/openapi.json matches the routes (run `npm run openapi` after changing a schema)', async () => {
    const committed = fs.readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    const generated = await generateOpenApiDocument();
    assert.equal(committed, generated);
  });
});
