import { api, call, type ResponseOf } from '../../api/client';
import { LoadedSection } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { startTraceRequest } from '../trace-requests/paths';

type Lead = ResponseOf<'/api/v1/items/{id}/transfer-leads'>['leads'][number];

/** The subject a request about a lead starts with, in the user's language. */
function leadSubject(t: ReturnType<typeof useI18n>['t'], lead: Lead): string {
  return t('leads.subject', { designation: lead.designation, supplier: lead.supplier, recipient: lead.recipient });
}

/**
 * Recorded arms transfers (SIPRI) of the designation the item carries: leads for whom to ask. Each lead can start a
 * trace request to its supplier about this item.
 */
export function TransferLeadsSection({
  investigationId,
  itemId,
  canAdd,
}: {
  investigationId: string;
  itemId: string;
  canAdd: boolean;
}) {
  const { t, locale } = useI18n();
  const years = new Intl.NumberFormat(locale, { useGrouping: false });
  const leads = useLoad(
    () => call(api.GET('/api/v1/items/{id}/transfer-leads', { params: { path: { id: itemId } } })),
    [itemId],
  );
  return (
    <LoadedSection
      id="transfer-leads"
      title={t('leads.title')}
      intro={t('leads.intro')}
      loaded={leads}
      isEmpty={(data) => data.leads.length === 0}
      empty={t('leads.empty')}
    >
      {(data) => (
        <ul className="plain-list lead-list">
          {data.leads.map((lead) => (
            <li key={lead.id} data-testid="transfer-lead">
              <strong>
                <bdi dir="auto">{lead.supplier}</bdi> {t('tracing.arrow')} <bdi dir="auto">{lead.recipient}</bdi>
              </strong>{' '}
              · <bdi dir="auto">{lead.designation}</bdi>
              <br />
              <span className="muted small">
                {lead.order_year !== null && t('leads.ordered', { year: years.format(lead.order_year) })}
                {lead.number_delivered !== null && ` · ${t('leads.delivered', { count: lead.number_delivered })}`}
                {lead.delivery_years.length > 0 &&
                  ` · ${t('leads.deliveredIn', { years: lead.delivery_years.map((year) => years.format(year)).join(' ') })}`}
                {' · '}
                {t('leads.matchedOn')} <bdi dir="auto">{lead.matched_on}</bdi>
              </span>
              {canAdd && (
                <>
                  <br />
                  <button
                    type="button"
                    className="button-link"
                    onClick={() =>
                      startTraceRequest(investigationId, {
                        itemIds: [itemId],
                        subject: leadSubject(t, lead),
                        addresseeName: lead.supplier,
                      })
                    }
                  >
                    {t('leads.startRequest')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </LoadedSection>
  );
}
