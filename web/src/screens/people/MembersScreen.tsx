import { useState, type SubmitEvent } from 'react';
import { api, call, type ResponseOf } from '../../api/client';
import { useServerList } from '../../components/serverList';
import { SortedListTable } from '../../components/SortedListTable';
import { ErrorNotice, Field, LoadedSection } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { PermissionsTable } from './PermissionsTable';
import { useAction } from './useAction';

export type Membership = ResponseOf<'/api/v1/investigations/{id}/members'>['items'][number];
type Role = Membership['role'];
const roles: readonly Role[] = ['owner', 'editor', 'investigator', 'viewer'];
const memberSortKeys = ['username', 'role', 'created'] as const;

function RoleSelect({ value, onChange, control }: { value: Role; onChange: (role: Role) => void; control: object }) {
  const { t } = useI18n();
  return (
    <select {...control} value={value} onChange={(event) => onChange(event.target.value as Role)}>
      {roles.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}`)}
        </option>
      ))}
    </select>
  );
}

function AddMemberForm({ investigationId, onAdded }: { investigationId: string; onAdded: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('investigator');
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await call(
        api.POST('/api/v1/investigations/{id}/members', {
          params: { path: { id: investigationId } },
          body: { username: username.trim(), role },
        }),
      );
      setUsername('');
      onAdded();
    });
  };
  return (
    <form className="card section" onSubmit={submit} aria-labelledby="add-member-title">
      <h3 id="add-member-title">{t('people.addMember')}</h3>
      <ErrorNotice error={action.error} />
      <Field label={t('people.username')} error={action.fields.username}>
        {(control) => (
          <input
            {...control}
            name="username"
            dir="ltr"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('people.role')} error={action.fields.role}>
        {(control) => <RoleSelect control={{ ...control, name: 'role' }} value={role} onChange={setRole} />}
      </Field>
      <button type="submit" className="button-primary" disabled={action.busy}>
        {t('people.add')}
      </button>
    </form>
  );
}

function MemberRow({
  member,
  canManage,
  onChanged,
}: {
  member: Membership;
  canManage: boolean;
  onChanged: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [removing, setRemoving] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const path = { id: member.investigation_id, membershipId: member.id };
  const changeRole = (role: Role) =>
    void action.run(async () => {
      await call(
        api.PATCH('/api/v1/investigations/{id}/members/{membershipId}', {
          params: { path },
          body: { version: member.version, role },
        }),
      );
      onChanged();
    });
  const remove = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await call(
        api.POST('/api/v1/investigations/{id}/members/{membershipId}/archive', {
          params: { path },
          body: { version: member.version, reason },
        }),
      );
      onChanged();
    });
  };
  return (
    <tr>
      <th scope="row">
        <bdi dir="ltr">{member.username}</bdi>
      </th>
      <td>
        {canManage ? (
          <>
            <RoleSelect
              control={{ 'aria-label': t('people.roleOf', { username: member.username }) }}
              value={member.role}
              onChange={changeRole}
            />
            {action.fields.role !== undefined && <p className="field-error">{action.fields.role}</p>}
            <ErrorNotice error={action.error} />
            {removing ? (
              <form onSubmit={remove}>
                <Field label={t('people.removeReason')} error={action.fields.reason}>
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
                    {t('people.confirmRemove', { username: member.username })}
                  </button>
                  <button type="button" onClick={() => setRemoving(false)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </form>
            ) : (
              <div className="actions">
                <button type="button" onClick={() => setRemoving(true)}>
                  {t('people.remove')}
                </button>
              </div>
            )}
          </>
        ) : (
          t(`role.${member.role}`)
        )}
      </td>
      <td>{formatDateTime(member.created_at)}</td>
    </tr>
  );
}

/**
 * An investigation's members and their roles, a page at a time, filtered and sorted by the server; owners add,
 * change and remove them.
 */
export function MembersScreen({ investigationId }: { investigationId: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('people.membersTitle'));
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const [filter, setFilter] = useState('');
  const q = filter.trim();
  const members = useServerList({
    keys: memberSortKeys,
    initial: { key: 'username', order: 'asc' },
    filters: [investigationId, q],
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/investigations/{id}/members', {
          params: {
            path: { id: investigationId },
            query: { limit, after, sort, order, q: q === '' ? undefined : q },
          },
        }),
      ),
  });
  const canManage = investigation.data?.my_role === 'owner';
  const labels = { username: t('people.username'), role: t('people.role'), created: t('people.since') };
  return (
    <div className="page">
      <h1>{t('people.membersTitle')}</h1>
      <LoadedSection
        id="members"
        title={t('people.members')}
        loaded={{ data: members.rows, error: members.error, loading: members.loading, reload: members.reload }}
        footer={canManage ? <AddMemberForm investigationId={investigationId} onAdded={members.reload} /> : undefined}
      >
        {(rows) => (
          <>
            <SortedListTable
              list={members}
              caption={t('people.members')}
              filter={{ label: t('people.filterMembers'), value: filter, onChange: setFilter }}
              sortLabels={labels}
              columns={[
                { sortKey: 'username', label: labels.username },
                { sortKey: 'role', label: labels.role },
                { sortKey: 'created', label: labels.created },
              ]}
            >
              {rows.map((member) => (
                <MemberRow key={member.id} member={member} canManage={canManage} onChanged={members.reload} />
              ))}
            </SortedListTable>
          </>
        )}
      </LoadedSection>
      <PermissionsTable />
    </div>
  );
}
