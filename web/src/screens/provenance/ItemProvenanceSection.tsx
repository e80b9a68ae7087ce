import { api, call } from '../../api/client';
import { LoadedSection } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { ClaimsPanel } from './ClaimsPanel';

/**
 * An item's provenance on its page: its own claims and those about the lots it carries (shown with the lot they come
 * from), as a timeline with contradictions side by side; adding, correcting and archiving claims; the W3C PROV-JSON
 * document to download.
 */
export function ItemProvenanceSection({ investigationId, itemId }: { investigationId: string; itemId: string }) {
  const { t } = useI18n();
  const provenance = useLoad(
    () => call(api.GET('/api/v1/items/{id}/provenance', { params: { path: { id: itemId } } })),
    [itemId],
  );
  return (
    <LoadedSection
      id="provenance"
      title={t('provenance.title')}
      loaded={provenance}
      footer={
        <p>
          <a
            className="button"
            href={`/api/v1/items/${itemId}/provenance.prov.json`}
            download={`item-${itemId}.prov.json`}
          >
            {t('claims.downloadProv')}
          </a>
        </p>
      }
    >
      {(found) => (
        <>
          {found.claims.length === 0 && <p className="empty">{t('provenance.empty')}</p>}
          <ClaimsPanel
            investigationId={investigationId}
            target={{ itemId }}
            claims={found.claims}
            onChanged={provenance.reload}
          />
        </>
      )}
    </LoadedSection>
  );
}
