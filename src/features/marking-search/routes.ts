import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { markingHitListSchema, rankedSearchQuerySchema, seenElsewhereQuerySchema } from './schema.js';
import * as search from './service.js';

const tags = ['markings'];

/** Marking search across investigations and "seen elsewhere" for the capture form. */
export function registerMarkingSearchRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/markings/search',
    {
      schema: {
        tags,
        summary: 'Find markings across every investigation you can read, closest first',
        description:
          'Plain text matches fuzzily; `?` is one unreadable character, `*` any run, `[AB]` A or B. Each result ' +
          'has a score and the differences that explain it. See docs/markings.md.',
        querystring: rankedSearchQuerySchema,
        response: { 200: markingHitListSchema, ...problemResponses },
      },
    },
    (request) => search.searchAllMarkings(db, requireActor(request), request.query),
  );
  app.get(
    '/markings/seen-elsewhere',
    {
      schema: {
        tags,
        summary: 'Markings at other items that match a marking as it is typed',
        description: 'For the capture form: call on every keystroke. Empty until the text has three characters.',
        querystring: seenElsewhereQuerySchema,
        response: { 200: markingHitListSchema, ...problemResponses },
      },
    },
    (request) => search.seenElsewhere(db, requireActor(request), request.query),
  );
}
