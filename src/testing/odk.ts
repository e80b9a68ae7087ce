/**
 * ODK Central OData submissions of armtrace's capture form (the shape documented at getodk.github.io: `__id`,
 * `__system`, repeats expanded inline), written by the tests themselves: the real exports in ../shared have
 * licences of their own and never become test inputs.
 */

/** The fields of one submission a test chooses; everything else is a fixed, plausible capture. */
export interface OdataSubmissionChoice {
  siteId: string;
  /** The submission's instance ID (`uuid:…`): importing the same one twice creates nothing twice. */
  instance: string;
  category: string;
  zone?: string | null;
}

/**
 * One submission as ODK Central's OData feed returns it.
 *
 * @example
 * const submission = odataSubmission({ siteId, instance: 'uuid:9d0c…0003', category: 'fuze', zone: 'rocket area' });
 */
export function odataSubmission({ siteId, instance, category, zone = null }: OdataSubmissionChoice) {
  return {
    __id: instance,
    __system: {
      submissionDate: '2026-11-21T08:00:01.000Z',
      updatedAt: null,
      submitterId: '17',
      submitterName: 'team-south',
      attachmentsPresent: 0,
      attachmentsExpected: 0,
      status: null,
      reviewState: null,
      deviceId: 'collect:Zq8rT5uVb2XyW3aK',
      edits: 0,
      formVersion: '202611210700',
    },
    meta: { instanceID: instance },
    start: '2026-11-21T10:00:00.000+03:00',
    end: '2026-11-21T10:05:00.000+03:00',
    site: siteId,
    new_site_name: null,
    new_site_type: null,
    location: { type: 'Point', coordinates: [43.1301, 36.3402, 250], properties: { accuracy: 3.9 } },
    zone,
    category,
    model: null,
    quantity: 12,
    condition: 'good',
    assembly_state: 'component',
    production_type: 'factory',
    fuze_fitted: null,
    safety_device_fitted: null,
    disposal_status: 'in_place',
    markings: [{ __id: 'a1', marking_text: 'MG-37', marking_kind: 'model', marking_position: null }],
    photos: [],
    observations: null,
  };
}

/**
 * A saved OData response (`{ "@odata.context", "value": [...] }`) holding the given submissions, as JSON text.
 *
 * @example
 * fs.writeFileSync(file, odataExportJson([odataSubmission({ siteId, instance, category: 'fuze' })]));
 */
export function odataExportJson(submissions: readonly ReturnType<typeof odataSubmission>[]): string {
  return JSON.stringify({
    '@odata.context': 'https://central.example.org/v1/projects/1/forms/armtrace_items.svc/$metadata#Submissions',
    value: submissions,
  });
}
