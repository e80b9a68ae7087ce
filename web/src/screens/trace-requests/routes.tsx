import type { ReactElement } from 'react';
import { matchPath } from '../../router';
import { LotPage } from '../provenance/LotPage';
import { LotsPage } from '../provenance/LotsPage';
import { NewTraceRequestPage } from './NewTraceRequestPage';
import { TraceRequestPage } from './TraceRequestPage';
import { TraceRequestsPage } from './TraceRequestsPage';

/** The screens of trace requests and lot provenance for a path, or undefined when the path is not theirs. */
export function tracingRoute(path: string): ReactElement | undefined {
  let match: Record<string, string> | undefined;
  if ((match = matchPath('/investigations/:id/trace-requests', path)))
    return <TraceRequestsPage investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/trace-requests/new', path)))
    return <NewTraceRequestPage investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/trace-requests/:requestId', path)))
    return <TraceRequestPage key={match.requestId} investigationId={match.id!} requestId={match.requestId!} />;
  if ((match = matchPath('/investigations/:id/lots', path))) return <LotsPage investigationId={match.id!} />;
  if ((match = matchPath('/investigations/:id/lots/view', path))) return <LotPage investigationId={match.id!} />;
  return undefined;
}
