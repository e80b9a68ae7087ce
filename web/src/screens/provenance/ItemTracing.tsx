import type { Marking } from '../../api/client';
import { useAccess } from '../trace-requests/data';
import { ItemTraceRequests } from '../trace-requests/ItemTraceRequests';
import { ItemProvenanceSection } from './ItemProvenanceSection';
import { TransferLeadsSection } from './TransferLeadsSection';

/** The tracing sections of an item's page: provenance, trace requests, and transfer leads. */
export function ItemTracing({
  investigationId,
  itemId,
  markings,
}: {
  investigationId: string;
  itemId: string;
  markings: readonly Marking[];
}) {
  const access = useAccess(investigationId);
  return (
    <>
      <ItemProvenanceSection investigationId={investigationId} itemId={itemId} />
      <ItemTraceRequests investigationId={investigationId} itemId={itemId} markings={markings} />
      <TransferLeadsSection investigationId={investigationId} itemId={itemId} canAdd={access.canAdd} />
    </>
  );
}
