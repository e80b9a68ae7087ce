import { useState, type SubmitEvent } from 'react';
import { api, ApiError, call, type ResponseOf } from '../../api/client';
import { useServerList } from '../../components/serverList';
import { SortedListTable } from '../../components/SortedListTable';
import { ErrorNotice, Field, LoadedSection } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { useAction } from './useAction';

type User = ResponseOf<'/api/v1/users/{id}/deactivate', 'post'>;

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ username: '', display_name: '', password: '', is_admin: false });
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await call(api.POST('/api/v1/users', { body: { ...draft, username: draft.username.trim() } }));
      setDraft({ username: '', display_name: '', password: '', is_admin: false });
      onCreated();
    });
  };
  const text = (name: 'username' | 'display_name' | 'password', label: string, type = 'text') => (
    <Field label={label} error={action.fields[name]}>
      {(control) => (
        <input
          {...control}
          name={name}
          type={type}
          dir={name === 'display_name' ? 'auto' : 'ltr'}
          autoComplete={name === 'password' ? 'new-password' : 'off'}
          spellCheck={false}
          required
          value={draft[name]}
          onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
        />
      )}
    </Field>
  );
  return (
    <form className="card section" onSubmit={submit} aria-labelledby="create-user-title">
      <h3 id="create-user-title">{t('people.createUser')}</h3>
      <ErrorNotice error={action.error} />
      {text('username', t('people.username'))}
      {text('display_name', t('people.displayName'))}
      {text('password', t('people.initialPassword'), 'password')}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.is_admin}
          onChange={(event) => setDraft({ ...draft, is_admin: event.target.checked })}
        />{' '}
        {t('people.isAdmin')}
      </label>
      <button type="submit" className="button-primary" disabled={action.busy}>
        {t('people.create')}
      </button>
    </form>
  );
}

function UserActions({ user, isSelf, onChanged }: { user: User; isSelf: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [deactivating, setDeactivating] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const action = useAction();
  if (user.archived_at !== null) return <span className="muted">{t('people.deactivated')}</span>;
  const resetSecondFactor = () =>
    void action.run(async () => {
      const { response, error } = await api.POST('/api/v1/users/{id}/2fa/reset', { params: { path: { id: user.id } } });
      if (!response.ok) throw new ApiError(response.status, error as ApiError['problem']);
      setDone(t('people.secondFactorReset'));
    });
  const deactivate = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await call(
        api.POST('/api/v1/users/{id}/deactivate', {
          params: { path: { id: user.id } },
          body: { version: user.version, reason },
        }),
      );
      onChanged();
    });
  };
  return (
    <>
      <ErrorNotice error={action.error} />
      {done !== undefined && (
        <p role="status" className="muted">
          {done}
        </p>
      )}
      {deactivating ? (
        <form onSubmit={deactivate}>
          <Field label={t('people.deactivateReason')} error={action.fields.reason}>
            {(control) => (
              <input
                {...control}
                dir="auto"
                required
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" disabled={action.busy}>
              {t('people.confirmDeactivate', { username: user.username })}
            </button>
            <button type="button" onClick={() => setDeactivating(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" disabled={action.busy} onClick={resetSecondFactor}>
            {t('people.resetSecondFactor')}
          </button>
          {!isSelf && (
            <button type="button" onClick={() => setDeactivating(true)}>
              {t('people.deactivate')}
            </button>
          )}
        </div>
      )}
    </>
  );
}

const userSortKeys = ['username', 'created', 'display_name', 'is_admin'] as const;

/**
 * The instance's accounts (administrators), a page at a time, filtered and sorted by the server: create,
 * deactivate, reset a lost second factor.
 */
export function UsersScreen() {
  const { t, formatDateTime } = useI18n();
  useDocumentTitle(t('people.usersTitle'));
  const me = useLoad(() => call(api.GET('/api/v1/auth/me')), []);
  const isAdmin = me.data?.is_admin === true;
  const myId = me.data?.id;
  const [filter, setFilter] = useState('');
  const q = filter.trim();
  const users = useServerList({
    keys: userSortKeys,
    initial: { key: 'username', order: 'asc' },
    filters: [isAdmin, q],
    load: ({ after, sort, order, limit }) =>
      isAdmin
        ? call(
            api.GET('/api/v1/users', {
              params: { query: { limit, after, sort, order, q: q === '' ? undefined : q } },
            }),
          )
        : Promise.resolve({ items: [], next_after: null }),
  });
  const userSortLabels = {
    username: t('people.username'),
    created: t('people.since'),
    display_name: t('people.displayName'),
    is_admin: t('people.admin'),
  };
  return (
    <div className="page">
      <h1>{t('people.usersTitle')}</h1>
      {me.data === undefined ? (
        <ErrorNotice error={me.error} />
      ) : !isAdmin ? (
        <p className="notice">{t('people.adminsOnly')}</p>
      ) : (
        <LoadedSection
          id="users"
          title={t('people.users')}
          loaded={{ data: users.rows, error: users.error, loading: users.loading, reload: users.reload }}
          footer={<CreateUserForm onCreated={users.reload} />}
        >
          {() => (
            <>
              <SortedListTable
                list={users}
                caption={t('people.users')}
                filter={{ label: t('people.filterUsers'), value: filter, onChange: setFilter }}
                sortLabels={userSortLabels}
                columns={[
                  { sortKey: 'username', label: t('people.username') },
                  { sortKey: 'created', label: t('people.since') },
                  { label: t('people.actions') },
                ]}
              >
                {(users.rows ?? []).map((user) => (
                  <tr key={user.id}>
                    <th scope="row">
                      <bdi dir="ltr">{user.username}</bdi>
                      {user.is_admin && <span className="muted"> · {t('people.admin')}</span>}
                      <br />
                      <bdi dir="auto" className="muted">
                        {user.display_name}
                      </bdi>
                    </th>
                    <td>{formatDateTime(user.created_at)}</td>
                    <td>
                      <UserActions user={user} isSelf={user.id === myId} onChanged={users.reload} />
                    </td>
                  </tr>
                ))}
              </SortedListTable>
            </>
          )}
        </LoadedSection>
      )}
    </div>
  );
}
