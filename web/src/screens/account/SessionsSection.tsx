import { useState } from 'react';
import { api, ApiError, call, type ResponseOf } from '../../api/client';
import { ErrorNotice, LoadedSection } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { byText, ListFilter, Pager, SortHeader, useListView } from '../people/listView';
import { useAction } from '../people/useAction';

type Session = ResponseOf<'/api/v1/auth/sessions'>['items'][number];

/** Your open sessions (each browser signed in as you): end one, or sign out everywhere else. */
export function SessionsSection() {
  const { t, formatDateTime } = useI18n();
  const sessions = useLoad(() => call(api.GET('/api/v1/auth/sessions')), []);
  const [ended, setEnded] = useState<number | undefined>(undefined);
  const action = useAction();
  const view = useListView(sessions.data?.items, {
    text: (session) => session.user_agent ?? '',
    sorters: {
      user_agent: byText((session) => session.user_agent),
      created_at: byText((session) => session.created_at),
      last_used_at: byText((session) => session.last_used_at ?? session.created_at),
    },
    initialSort: 'last_used_at',
    initialAscending: false,
    pageSize: 10,
  });
  const revoke = (session: Session) =>
    void action.run(async () => {
      const { response, error } = await api.POST('/api/v1/auth/sessions/{id}/revoke', {
        params: { path: { id: session.id } },
      });
      if (!response.ok) throw new ApiError(response.status, error as ApiError['problem']);
      setEnded(1);
      sessions.reload();
    });
  const revokeOthers = () =>
    void action.run(async () => {
      const result = await call(api.POST('/api/v1/auth/sessions/revoke-others'));
      setEnded(result.revoked);
      sessions.reload();
    });
  const others = (sessions.data?.items ?? []).filter((session) => !session.current).length;
  return (
    <LoadedSection
      id="sessions"
      title={t('account.sessionsTitle')}
      intro={t('account.sessionsIntro')}
      className="section card"
      loaded={sessions}
    >
      {() => (
        <>
          <ErrorNotice error={action.error} />
          {ended !== undefined && (
            <p role="status" className="notice notice-success">
              {t('account.sessionsEnded', { count: ended })}
            </p>
          )}
          <ListFilter view={view} label={t('account.filterSessions')} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('account.sessionsTitle')}</caption>
              <thead>
                <tr>
                  <SortHeader view={view} sortKey="user_agent">
                    {t('account.device')}
                  </SortHeader>
                  <SortHeader view={view} sortKey="created_at">
                    {t('account.signedIn')}
                  </SortHeader>
                  <SortHeader view={view} sortKey="last_used_at">
                    {t('account.lastUsed')}
                  </SortHeader>
                  <th scope="col">{t('people.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {view.shown.map((session) => (
                  <tr key={session.id}>
                    <th scope="row">
                      <bdi dir="ltr" className="user-agent">
                        {session.user_agent ?? t('account.unknownDevice')}
                      </bdi>
                    </th>
                    <td>{formatDateTime(session.created_at)}</td>
                    <td>{session.last_used_at === null ? t('account.never') : formatDateTime(session.last_used_at)}</td>
                    <td>
                      {session.current ? (
                        <strong>{t('account.thisSession')}</strong>
                      ) : (
                        <button type="button" disabled={action.busy} onClick={() => revoke(session)}>
                          {t('account.endSession')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager view={view} label={t('account.sessionsTitle')} />
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={action.busy || others === 0}
              onClick={revokeOthers}
            >
              {t('account.signOutElsewhere', { count: others })}
            </button>
          </div>
        </>
      )}
    </LoadedSection>
  );
}
