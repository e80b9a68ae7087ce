import { useState, type SubmitEvent } from 'react';
import { api, call, type ResponseOf } from '../../api/client';
import { useServerList } from '../../components/serverList';
import { SortedListTable } from '../../components/SortedListTable';
import { ErrorNotice, Field, LoadedSection } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../people/useAction';

type Created = ResponseOf<'/api/v1/auth/tokens', 'post'>;
type Token = ResponseOf<'/api/v1/auth/tokens'>['items'][number];
const tokenSortKeys = ['created', 'name', 'last_used'] as const;

/** The new token, shown this once, with a button that copies it. */
function ShownOnce({ created, onDismiss }: { created: Created; onDismiss: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice notice-success" role="status">
      <p>{t('account.tokenShownOnce', { name: created.name })}</p>
      <p>
        <code dir="ltr" className="token-value" data-testid="new-token">
          {created.token}
        </code>
      </p>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(created.token).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t('account.copyToken')}
        </button>
        <button type="button" onClick={onDismiss}>
          {t('account.tokenSaved')}
        </button>
        {copied && <span className="muted">{t('account.copied')}</span>}
      </div>
    </div>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'read_write'>('read');
  const [days, setDays] = useState('');
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const expires = days.trim() === '' ? undefined : Number(days.trim());
      const created = await call(
        api.POST('/api/v1/auth/tokens', {
          body: { name, scope, ...(expires === undefined ? {} : { expires_in_days: expires }) },
        }),
      );
      setName('');
      setDays('');
      onCreated(created);
    });
  };
  return (
    <form className="card section" onSubmit={submit} aria-labelledby="create-token-title">
      <h3 id="create-token-title">{t('account.createToken')}</h3>
      <ErrorNotice error={action.error} />
      <Field label={t('account.tokenName')} error={action.fields.name}>
        {(control) => (
          <input
            {...control}
            name="name"
            dir="auto"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('account.tokenScope')} error={action.fields.scope}>
        {(control) => (
          <select
            {...control}
            name="scope"
            value={scope}
            onChange={(event) => setScope(event.target.value as typeof scope)}
          >
            <option value="read">{t('account.scope.read')}</option>
            <option value="read_write">{t('account.scope.read_write')}</option>
          </select>
        )}
      </Field>
      <Field label={t('account.tokenDays')} hint={t('account.tokenDaysHint')} error={action.fields.expires_in_days}>
        {(control) => (
          <input
            {...control}
            name="expires_in_days"
            dir="ltr"
            inputMode="numeric"
            value={days}
            onChange={(event) => setDays(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button-primary" disabled={action.busy}>
        {t('account.create')}
      </button>
    </form>
  );
}

function tokenState(token: Token): 'revoked' | 'expired' | 'active' {
  if (token.revoked_at !== null) return 'revoked';
  return Date.parse(token.expires_at) <= Date.now() ? 'expired' : 'active';
}

/**
 * Your API tokens, a page at a time, filtered by name and sorted by the server: make one (shown once), see them
 * all with their last use, revoke one.
 */
export function TokensSection() {
  const { t, formatDateTime } = useI18n();
  const [filter, setFilter] = useState('');
  const q = filter.trim();
  const tokens = useServerList({
    keys: tokenSortKeys,
    initial: { key: 'created', order: 'desc' },
    filters: [q],
    pageSize: 10,
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/auth/tokens', {
          params: { query: { limit, after, sort, order, q: q === '' ? undefined : q } },
        }),
      ),
  });
  const [created, setCreated] = useState<Created | undefined>(undefined);
  const action = useAction();
  const labels = {
    name: t('account.tokenName'),
    created: t('account.created'),
    last_used: t('account.lastUsed'),
  };
  const revoke = (token: Token) =>
    void action.run(async () => {
      await call(api.POST('/api/v1/auth/tokens/{id}/revoke', { params: { path: { id: token.id } } }));
      tokens.reload();
    });
  return (
    <LoadedSection
      id="tokens"
      title={t('account.tokensTitle')}
      intro={t('account.tokensIntro')}
      className="section card"
      loaded={{ data: tokens.rows, error: tokens.error, loading: tokens.loading, reload: tokens.reload }}
      isEmpty={(rows) => rows.length === 0 && q === '' && !tokens.hasPrevious && created === undefined}
      empty={t('account.noTokens')}
      footer={
        <>
          {created !== undefined && <ShownOnce created={created} onDismiss={() => setCreated(undefined)} />}
          <CreateTokenForm
            onCreated={(next) => {
              setCreated(next);
              tokens.reload();
            }}
          />
        </>
      }
    >
      {(rows) => (
        <>
          <ErrorNotice error={action.error} />
          <SortedListTable
            list={tokens}
            caption={t('account.tokensTitle')}
            filter={{ label: t('account.filterTokens'), value: filter, onChange: setFilter }}
            sortLabels={labels}
            columns={[
              { sortKey: 'name', label: labels.name },
              { sortKey: 'created', label: labels.created },
              { sortKey: 'last_used', label: labels.last_used },
              { label: t('account.state') },
            ]}
          >
            {rows.map((token) => (
              <tr key={token.id}>
                <th scope="row">
                  <bdi dir="auto">{token.name}</bdi>
                  <br />
                  <span className="muted">{t(`account.scope.${token.scope}`)}</span>
                </th>
                <td>{formatDateTime(token.created_at)}</td>
                <td>{token.last_used_at === null ? t('account.never') : formatDateTime(token.last_used_at)}</td>
                <td>
                  {tokenState(token) === 'active' ? (
                    <button type="button" disabled={action.busy} onClick={() => revoke(token)}>
                      {t('account.revokeToken', { name: token.name })}
                    </button>
                  ) : (
                    t(`account.tokenState.${tokenState(token)}`)
                  )}
                </td>
              </tr>
            ))}
          </SortedListTable>
        </>
      )}
    </LoadedSection>
  );
}
