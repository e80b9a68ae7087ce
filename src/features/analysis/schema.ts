import { z } from 'zod';

export const analysisNames = [
  'production-countries',
  'categories',
  'export-to-recovery',
  'craft-clusters',
  'production-sites-over-time',
  'open-trace-requests',
] as const;
export type AnalysisName = (typeof analysisNames)[number];

export const analysisQuerySchema = z.object({
  as_of: z.iso.date().optional().describe('The day ages are measured on (YYYY-MM-DD, UTC); today by default'),
});
export type AnalysisQuery = z.output<typeof analysisQuerySchema>;

export const timelineQuerySchema = analysisQuerySchema.extend({
  granularity: z.enum(['month', 'year']).default('month').describe('Length of one period'),
});
export type TimelineQuery = z.output<typeof timelineQuerySchema>;

const share = z.number().describe('Fraction of the total, 0 to 1');

export const productionCountriesSchema = z.object({
  total_items: z.number().int().describe('Item records counted'),
  total_quantity: z.number().int().describe('Sum of their quantities'),
  rows: z.array(
    z.object({
      key: z.string().describe('ISO 3166 code, or "unknown" (no produced claim with a country) or "contested"'),
      country_code: z.string().nullable(),
      items: z.number().int(),
      quantity: z.number().int(),
      share_items: share,
      share_quantity: share,
      confirmed: z.number().int().describe('Items attributed by a confirmed claim'),
      probable: z.number().int(),
      possible: z.number().int(),
    }),
  ),
});
export type ProductionCountries = z.infer<typeof productionCountriesSchema>;

export const categoriesSchema = z.object({
  total_items: z.number().int(),
  total_quantity: z.number().int(),
  rows: z.array(
    z.object({
      category: z.string(),
      items: z.number().int(),
      quantity: z.number().int(),
      share_items: share,
      share_quantity: share,
      craft_items: z.number().int(),
      factory_items: z.number().int(),
      unknown_production_items: z.number().int(),
    }),
  ),
});
export type Categories = z.infer<typeof categoriesSchema>;

const distributionSchema = z.object({
  n: z.number().int(),
  min_years: z.number().nullable(),
  median_years: z.number().nullable(),
  max_years: z.number().nullable(),
  counts: z.array(z.number().int()).describe('Items per bin, in the order of `bins`'),
});

export const exportToRecoverySchema = z.object({
  bins: z.array(
    z.object({ label: z.string(), min_years: z.number(), max_years: z.number().nullable().describe('Exclusive') }),
  ),
  overall: distributionSchema,
  by_category: z.array(distributionSchema.extend({ category: z.string() })),
  by_producer: z.array(
    distributionSchema.extend({
      producer_id: z.uuid().nullable(),
      producer_name: z.string().nullable().describe('Null when the producer is unknown or contested'),
      country_code: z.string().nullable(),
    }),
  ),
  points: z.array(
    z.object({
      item_id: z.uuid(),
      external_ref: z.string().nullable(),
      category: z.string(),
      producer_id: z.uuid().nullable(),
      basis: z.enum(['exported', 'produced']).describe('Measured from the lawful export, else from production'),
      confidence: z.string().describe('Of the claim the interval starts from'),
      start_on: z.string().describe('Latest date the export (or production) claim allows'),
      recovered_on: z.string(),
      years: z.number(),
    }),
  ),
  excluded: z.object({
    no_recovery_date: z.number().int().describe('The site has no recovery date'),
    no_dated_claim: z.number().int().describe('No dated export or production claim'),
    recovered_before_start: z.number().int().describe('Dates that contradict each other; check the claims'),
  }),
});
export type ExportToRecovery = z.infer<typeof exportToRecoverySchema>;

export const craftClustersSchema = z.object({
  total_craft_items: z.number().int(),
  total_craft_quantity: z.number().int(),
  sites: z.array(
    z.object({
      site_id: z.uuid(),
      name: z.string(),
      external_ref: z.string().nullable(),
      site_type: z.string(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      recovered_on: z.string().nullable(),
      craft_items: z.number().int(),
      craft_quantity: z.number().int(),
      share_items: share,
      categories: z.record(z.string(), z.number().int()).describe('Craft items per category'),
    }),
  ),
  zones: z.array(
    z.object({
      zone_id: z.uuid(),
      name: z.string(),
      site_id: z.uuid(),
      site_name: z.string(),
      latitude: z.number().nullable().describe('Of the site'),
      longitude: z.number().nullable().describe('Of the site'),
      craft_items: z.number().int(),
      craft_quantity: z.number().int(),
    }),
  ),
});
export type CraftClusters = z.infer<typeof craftClustersSchema>;

export const productionSitesOverTimeSchema = z.object({
  granularity: z.enum(['month', 'year']),
  periods: z.array(
    z.object({
      period: z.string().describe('YYYY-MM or YYYY'),
      new_sites: z.number().int().describe('Production sites recovered in the period'),
      cumulative_sites: z.number().int(),
      craft_items: z.number().int().describe('Craft items at the sites recovered in the period'),
    }),
  ),
  undated_sites: z.number().int().describe('Production sites without a recovery date'),
  sites: z.array(
    z.object({
      site_id: z.uuid(),
      name: z.string(),
      recovered_on: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      craft_items: z.number().int(),
    }),
  ),
});
export type ProductionSitesOverTime = z.infer<typeof productionSitesOverTimeSchema>;

export const openTraceRequestsSchema = z.object({
  as_of: z.string(),
  age_buckets: z.array(z.string()).describe('Labels of the age bands, in days'),
  total_open: z.number().int(),
  by_addressee: z.array(
    z.object({
      addressee_id: z.uuid(),
      name: z.string(),
      country_code: z.string().nullable(),
      open: z.number().int(),
      drafts: z.number().int().describe('Not sent yet'),
      awaiting_answer: z.number().int().describe('Sent or acknowledged'),
      overdue: z.number().int(),
      oldest_days: z.number().int().nullable(),
      median_days: z.number().nullable(),
      buckets: z.array(z.number().int()).describe('Open requests per age band, in the order of `age_buckets`'),
    }),
  ),
  requests: z.array(
    z.object({
      id: z.uuid(),
      subject: z.string(),
      addressee_id: z.uuid(),
      addressee_name: z.string(),
      status: z.string(),
      sent_on: z.string().nullable(),
      due_on: z.string().nullable(),
      age_days: z.number().int().describe('Since sent (since recorded, for a draft)'),
      overdue: z.boolean(),
    }),
  ),
});
export type OpenTraceRequests = z.infer<typeof openTraceRequestsSchema>;

export interface AllAnalyses {
  productionCountries: ProductionCountries;
  categories: Categories;
  exportToRecovery: ExportToRecovery;
  craftClusters: CraftClusters;
  productionSitesOverTime: ProductionSitesOverTime;
  openTraceRequests: OpenTraceRequests;
}
