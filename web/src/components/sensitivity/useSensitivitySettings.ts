import { api, call, type ResponseOf } from '../../api/client';
import { useLoad, type Loaded } from '../../hooks';

export type SensitivitySettings = ResponseOf<'/api/v1/investigations/{id}/sensitivity'>;

/**
 * The investigation's default sensitivity, the roles that see restricted records and the caller's clearance. A
 * form works without it (offline, not kept): every level is offered and the default is not named.
 *
 * @example const settings = useSensitivitySettings(investigationId);
 */
export function useSensitivitySettings(investigationId: string): Loaded<SensitivitySettings> {
  return useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/sensitivity', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
}
