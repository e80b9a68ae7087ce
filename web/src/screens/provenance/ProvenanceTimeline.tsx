import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { ClaimView, type ClaimNames } from './ClaimView';
import { contradictions, stages, type TimelineClaim } from './timeline';

/**
 * The chain as a timeline, produced → exported → transferred → diverted → recovered, with the claims of each stage;
 * then the contradicting claims side by side. `actions` renders a claim's edit and archive controls.
 */
export function ProvenanceTimeline({
  claims,
  names,
  investigationId,
  actions,
}: {
  claims: readonly TimelineClaim[];
  names: ClaimNames;
  investigationId: string;
  actions?: (claim: TimelineClaim) => ReactNode;
}) {
  const { t, label } = useI18n();
  const pairs = contradictions(claims);
  return (
    <>
      <ol className="provenance-chain" aria-label={t('claims.chain')}>
        {stages(claims).map((stage) => (
          <li key={stage.eventType} className={stage.claims.length === 0 ? 'stage stage-empty' : 'stage'}>
            <h3 className="stage-title">{label('provenanceEvent', stage.eventType)}</h3>
            {stage.claims.length === 0 ? (
              <p className="muted small">{t('claims.noneForStage')}</p>
            ) : (
              <ul className="plain-list">
                {stage.claims.map((claim) => (
                  <li key={claim.id} className={claim.conflicts_with.length > 0 ? 'claim-contradicted' : undefined}>
                    <ClaimView claim={claim} names={names} investigationId={investigationId} />
                    {actions?.(claim)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {pairs.length > 0 && (
        <section className="contradictions" aria-labelledby="contradictions-title" data-testid="contradictions">
          <h3 id="contradictions-title">{t('claims.contradictions', { count: pairs.length })}</h3>
          <p className="muted small">{t('claims.contradictionsIntro')}</p>
          {pairs.map(([first, second]) => (
            <div key={`${first.id}-${second.id}`} className="contradiction-pair">
              <h4>{label('provenanceEvent', first.event_type)}</h4>
              <div className="side-by-side">
                <ClaimView claim={first} names={names} investigationId={investigationId} />
                <ClaimView claim={second} names={names} investigationId={investigationId} />
              </div>
            </div>
          ))}
        </section>
      )}
    </>
  );
}
