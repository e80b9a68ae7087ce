import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { listTarEntries, tarLength, tarStream } from '../bags/tar.js';
import { writePublicSite } from './site.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import { exportFiles, openExport } from './files.js';
import { gridKmSchema, profileFileSuffix, profileHeader, profileOptionsOf, profileQuerySchema } from './profiles.js';
import { exportInvestigation } from './service.js';

const exportFileParamsSchema = idParamsSchema.extend({
  file: z.enum(exportFiles).describe('Which table and format'),
});
const exportFileQuerySchema = profileQuerySchema.extend({
  lang: z.enum(['en', 'ar', 'fr']).default('en').describe('Language of the labels written beside the codes'),
});
/** Response header: rows without a point, left out of a GeoJSON or KML file (listed in the CSV and XLSX). */
export const leftOutHeader = 'armtrace-left-out';

const siteQuerySchema = z.object({
  lang: z.enum(['en', 'ar', 'fr']).default('en').describe('Language of the page'),
  grid_km: gridKmSchema,
});

export function registerExportRoutes(app: ApiApp, { db, store }: RouteDeps): void {
  app.get(
    '/investigations/:id/site.tar',
    {
      schema: {
        tags: ['export'],
        summary:
          'The public site (public profile) as one tar file: index.html (report and map of generalised points, no outside hosts), data/investigation.json, data/sites.geojson, photo copies without metadata (owners and editors)',
        params: idParamsSchema,
        querystring: siteQuerySchema,
        produces: ['application/x-tar'],
        response: { 200: z.unknown().describe('The tar archive of the site folder'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'armtrace-site-'));
      const removeFolder = () => void fsp.rm(folder, { recursive: true, force: true });
      try {
        const name = `investigation-${investigationId}-public-site`;
        const out = path.join(folder, randomUUID());
        await writePublicSite(
          db,
          store,
          actor,
          investigationId,
          { lang: request.query.lang, gridKm: request.query.grid_km },
          out,
        );
        const entries = await listTarEntries(out, name);
        return await reply
          .header('content-type', 'application/x-tar')
          .header(profileHeader, 'public')
          .header('content-length', tarLength(entries))
          .header('content-disposition', `attachment; filename="${name}.tar"`)
          .send(tarStream(entries, removeFolder));
      } catch (error) {
        removeFolder();
        throw error;
      }
    },
  );
  app.get(
    '/investigations/:id/export.json',
    {
      schema: {
        tags: ['export'],
        summary:
          'Every record of the investigation the profile lets out (internal: all, archived ones included), with the audit-chain head and the profile that made it',
        params: idParamsSchema,
        querystring: profileQuerySchema,
        response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
      },
    },
    async (request, reply) => {
      const profile = profileOptionsOf(request.query);
      const document = await exportInvestigation(db, requireActor(request), request.params.id, profile);
      void reply.header(profileHeader, profile.profile);
      void reply.header(
        'content-disposition',
        `attachment; filename="investigation-${request.params.id}${profileFileSuffix(profile.profile)}.json"`,
      );
      return document as unknown as Record<string, unknown>;
    },
  );
  app.get(
    '/investigations/:id/exports/:file',
    {
      schema: {
        tags: ['export'],
        summary:
          'Sites, items, markings or the hazard list as CSV (UTF-8 with BOM), XLSX, GeoJSON or KML, streamed; controlled values as code and label',
        description:
          'CSV and XLSX list every live row; GeoJSON (RFC 7946) and KML 2.2 leave out rows without a point and ' +
          `say how many in the \`${leftOutHeader}\` header. In CSV a text starting with = + - @ is written with a ` +
          'leading apostrophe so spreadsheets do not run it; the stored value is unchanged.',
        params: exportFileParamsSchema,
        querystring: exportFileQuerySchema,
        produces: [
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'application/geo+json',
          'application/vnd.google-earth.kml+xml',
        ],
        response: { 200: z.unknown().describe('The file'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { id, file } = request.params;
      const opened = await openExport(
        db,
        requireActor(request),
        id,
        file,
        request.query.lang,
        profileOptionsOf(request.query),
      );
      void reply.header(profileHeader, request.query.profile);
      if (opened.leftOutWithoutPoint !== undefined) void reply.header(leftOutHeader, opened.leftOutWithoutPoint);
      return reply
        .header('content-type', opened.contentType)
        .header('content-disposition', `attachment; filename="${opened.fileName}"`)
        .send(opened.stream);
    },
  );
}
