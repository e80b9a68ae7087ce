import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed API client. Every type below is derived from the generated
 * `schema.d.ts` (npm run web:types), never written by hand.
 */
export const api = createClient<paths>({ baseUrl: '' });

/** Fired when the server says the session is gone, so the app can show the sign-in page. */
export const signedOutEvent = 'armtrace:signed-out';

api.use({
  onResponse({ response, request }) {
    if (response.status === 401 && !/\/api\/v1\/auth\/sign-in(\/second-factor)?$/.test(request.url)) {
      window.dispatchEvent(new Event(signedOutEvent));
    }
    return response;
  },
});

type JsonBody<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type Operation<Path extends keyof paths, Method extends 'get' | 'post' | 'patch'> = paths[Path][Method];
type SuccessOf<Op> = Op extends { responses: { 200: infer Ok } }
  ? JsonBody<Ok>
  : Op extends { responses: { 201: infer Created } }
    ? JsonBody<Created>
    : never;
/** The JSON body a successful call of this operation returns. */
export type ResponseOf<Path extends keyof paths, Method extends 'get' | 'post' | 'patch' = 'get'> = SuccessOf<
  Operation<Path, Method>
>;
/** The JSON body this operation accepts. */
export type BodyOf<Path extends keyof paths, Method extends 'post' | 'patch'> =
  Operation<Path, Method> extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type Problem = JsonBody<paths['/api/v1/investigations/{id}']['get']['responses'][404]>;
export type Me = ResponseOf<'/api/v1/auth/me'>;
export type Investigation = ResponseOf<'/api/v1/investigations/{id}'>;
export type Overview = ResponseOf<'/api/v1/investigations/{id}/overview'>;
export type AuditEntry = ResponseOf<'/api/v1/investigations/{id}/audit'>['items'][number];
export type Site = ResponseOf<'/api/v1/sites/{id}'>;
export type SiteType = Site['site_type'];
export type SiteFeatures = ResponseOf<'/api/v1/investigations/{id}/sites.geojson'>;
export type Zone = ResponseOf<'/api/v1/sites/{id}/zones'>['items'][number];
export type NewSite = BodyOf<'/api/v1/investigations/{id}/sites', 'post'>;

/** A failed call: the HTTP status and the server's problem document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail);
    this.name = 'ApiError';
  }
}

function asProblem(error: unknown, response: Response): Problem {
  if (typeof error === 'object' && error !== null && 'code' in error && 'detail' in error) return error as Problem;
  return {
    type: 'about:blank',
    title: response.statusText,
    status: response.status,
    detail: typeof error === 'string' ? error : response.statusText,
    code: response.status >= 500 ? 'internal' : 'unexpected',
  };
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an {@link ApiError}.
 *
 * @example
 * const site = await call(api.GET('/api/v1/sites/{id}', { params: { path: { id } } }));
 */
export async function call<Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  let result: { data?: Data; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (cause) {
    // fetch itself failed: the server is unreachable.
    throw new ApiError(0, {
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: cause instanceof Error ? cause.message : String(cause),
      code: 'network',
    });
  }
  if (!result.response.ok || result.data === undefined) {
    throw new ApiError(result.response.status, asProblem(result.error, result.response));
  }
  return result.data;
}

/** Translates one field problem; `fieldErrorMessage` in `./fieldErrors.ts` is the one implementation. */
export type FieldProblemTranslator = (problem: FieldProblemEntry) => string;
export type FieldProblemEntry = NonNullable<Problem['fields']>[number];

/**
 * Problem fields by their dotted path, e.g. `markings.0.text` → message in the user's language.
 *
 * @example
 * const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
 */
export function fieldErrors(error: unknown, translate: FieldProblemTranslator): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const byField: Record<string, string> = {};
  for (const entry of error.problem.fields ?? []) byField[entry.field] ??= translate(entry);
  return byField;
}

/**
 * Reads every page of a keyset-paginated list, up to `cap` rows.
 * Returns the rows and whether the cap cut the list short.
 */
export async function readAllPages<Row>(
  readPage: (after: string | undefined) => Promise<{ items: Row[]; next_after: string | null }>,
  cap = 5000,
): Promise<{ rows: Row[]; truncated: boolean }> {
  const rows: Row[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await readPage(after);
    rows.push(...page.items);
    if (page.next_after === null) return { rows, truncated: false };
    if (rows.length >= cap) return { rows, truncated: true };
    after = page.next_after;
  }
}

export type Item = ResponseOf<'/api/v1/items/{id}'>;
export type ItemSummary = ResponseOf<'/api/v1/investigations/{id}/items'>['items'][number];
export type NewItem = BodyOf<'/api/v1/investigations/{id}/items', 'post'>;
export type Hazard = ResponseOf<'/api/v1/investigations/{id}/hazards'>['items'][number];
export type Marking = Item['markings'][number];
export type NewMarking = BodyOf<'/api/v1/items/{id}/markings', 'post'>;
export type MarkingMatch = ResponseOf<'/api/v1/investigations/{id}/markings'>['items'][number];
export type Source = ResponseOf<'/api/v1/sources/{id}'>;
export type Incident = ResponseOf<'/api/v1/investigations/{id}/incidents'>['items'][number];
export type CustodyEvent = ResponseOf<'/api/v1/items/{id}/custody'>['items'][number];
export type NewCustodyEvent = BodyOf<'/api/v1/items/{id}/custody', 'post'>;
export type ProvenanceClaim = ResponseOf<'/api/v1/items/{id}/provenance'>['claims'][number];
export type ActorRecord = ResponseOf<'/api/v1/actors/{id}'>;
export type DisposalChange = BodyOf<'/api/v1/items/{id}/disposal', 'patch'>;
export type Media = ResponseOf<'/api/v1/media/{id}'>;
export type MediaLink = Media['links'][number];
export type UploadedMedia = ResponseOf<'/api/v1/investigations/{id}/media', 'post'>;
export type SimilarMedia = ResponseOf<'/api/v1/media/{id}/similar'>['items'][number];
export type MarkingHit = ResponseOf<'/api/v1/markings/seen-elsewhere'>['items'][number];
export type TraceRequest = ResponseOf<'/api/v1/trace-requests/{id}'>;
export type ProductionCountries = ResponseOf<'/api/v1/investigations/{id}/analysis/production-countries'>;
export type CategoryFigures = ResponseOf<'/api/v1/investigations/{id}/analysis/categories'>;
export type ExportToRecovery = ResponseOf<'/api/v1/investigations/{id}/analysis/export-to-recovery'>;
export type CraftClusters = ResponseOf<'/api/v1/investigations/{id}/analysis/craft-clusters'>;
export type ProductionSitesOverTime = ResponseOf<'/api/v1/investigations/{id}/analysis/production-sites-over-time'>;
export type OpenTraceRequests = ResponseOf<'/api/v1/investigations/{id}/analysis/open-trace-requests'>;
