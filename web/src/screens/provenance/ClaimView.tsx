import { SensitivityBadge } from '../../components/sensitivity/SensitivityBadge';
import { UserText } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { tracingPaths } from '../trace-requests/paths';
import type { TimelineClaim } from './timeline';

/** Names of the records a claim points at, from what the screen loaded. */
export interface ClaimNames {
  actor: (id: string) => string | undefined;
  source: (id: string) => string | undefined;
}

/** One claim: who, to whom, when, where, how sure, on what evidence, and (for an item) whether it comes from a lot. */
export function ClaimView({
  claim,
  names,
  investigationId,
}: {
  claim: TimelineClaim;
  names: ClaimNames;
  investigationId: string;
}) {
  const { t, label, formatDate } = useI18n();
  const dates = [claim.occurred_from, claim.occurred_to].filter((date): date is string => date !== null);
  return (
    <div className="claim" data-testid="claim">
      <p>
        <span className={`badge confidence-${claim.confidence}`}>{label('confidence', claim.confidence)}</span>{' '}
        <SensitivityBadge level={claim.sensitivity} quietPublic />{' '}
        {claim.actor_id === null ? (
          <span className="muted">{t('claims.actorUnknown')}</span>
        ) : (
          <UserText text={names.actor(claim.actor_id) ?? claim.actor_id} />
        )}
        {claim.counterpart_id !== null && (
          <>
            {` ${t('tracing.arrow')} `}
            <UserText text={names.actor(claim.counterpart_id) ?? claim.counterpart_id} />
          </>
        )}
      </p>
      <p className="muted small">
        {dates.length === 0 ? t('claims.undated') : [...new Set(dates)].map((date) => formatDate(date)).join(' – ')}
        {claim.place !== null && (
          <>
            {' · '}
            <bdi dir="auto">{claim.place}</bdi>
          </>
        )}
        {claim.source_id !== null && (
          <>
            {' · '}
            {t('claims.sourceIs')} <UserText text={names.source(claim.source_id) ?? claim.source_id} />
          </>
        )}
        {claim.trace_request_id !== null && (
          <>
            {' · '}
            <Link to={tracingPaths.request(investigationId, claim.trace_request_id)}>
              {t('claims.answerOfRequest')}
            </Link>
          </>
        )}
      </p>
      {claim.inherited_from_lot !== undefined && claim.inherited_from_lot !== null && (
        <p className="small claim-origin">
          {t('claims.inheritedFrom')}{' '}
          <Link to={tracingPaths.lot(investigationId, claim.inherited_from_lot)}>
            <bdi dir="auto">{claim.inherited_from_lot}</bdi>
          </Link>
        </p>
      )}
      {claim.notes !== '' && (
        <p className="prose small" dir="auto">
          {claim.notes}
        </p>
      )}
    </div>
  );
}
