import { useState, type SubmitEvent } from 'react';
import { api, call } from '../../api/client';
import { SensitivityBadge } from '../../components/sensitivity/SensitivityBadge';
import { levelExplanation, SensitivityFields } from '../../components/sensitivity/SensitivityFields';
import {
  grantableRoles,
  sensitivityCreateFields,
  sensitivityDraftOf,
  type GrantableRole,
  type SensitivityDraft,
} from '../../components/sensitivity/sensitivityDraft';
import { useSensitivitySettings, type SensitivitySettings } from '../../components/sensitivity/useSensitivitySettings';
import { Detail, ErrorNotice, Loading } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../people/useAction';

/** The default level of new records: a form for owners (sent with the investigation's version), else its value. */
function DefaultSection({
  settings,
  saved,
  onSaved,
}: {
  settings: SensitivitySettings;
  /** Set after a save: the section is filled again from the server's answer, and says so. */
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<SensitivityDraft>(() =>
    sensitivityDraftOf({
      sensitivity: settings.default_sensitivity,
      sensitivity_reason: settings.default_sensitivity_reason,
    }),
  );
  const [reasonMissing, setReasonMissing] = useState(false);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    onSaved(false);
    const fields = sensitivityCreateFields(draft);
    if (!fields.ok) {
      setReasonMissing(true);
      return;
    }
    void action
      .run(async () => {
        await call(
          api.PUT('/api/v1/investigations/{id}/sensitivity/default', {
            params: { path: { id: settings.investigation_id } },
            body: {
              version: settings.version,
              default_sensitivity: fields.fields.sensitivity ?? settings.default_sensitivity,
              default_sensitivity_reason: fields.fields.sensitivity_reason ?? null,
            },
          }),
        );
      })
      .then((done) => onSaved(done));
  };

  return (
    <section className="section" aria-labelledby="sensitivity-default-title">
      <h2 id="sensitivity-default-title">{t('sensitivitySettings.defaultTitle')}</h2>
      <p className="muted">{t('sensitivitySettings.defaultHint')}</p>
      {settings.can_change ? (
        <form className="card" onSubmit={submit} noValidate>
          <SensitivityFields
            mode="edit"
            label={t('sensitivitySettings.defaultLevel')}
            draft={draft}
            onChange={(next) => {
              setDraft(next);
              setReasonMissing(false);
              onSaved(false);
            }}
            error={action.fields.default_sensitivity}
            reasonError={
              reasonMissing ? t('fieldError.sensitivity_reason_required') : action.fields.default_sensitivity_reason
            }
          />
          <div className="actions form-actions">
            <div className="save-status" aria-live="polite">
              {action.error !== undefined && <ErrorNotice error={action.error} />}
              {saved && <p className="notice notice-success">{t('sensitivitySettings.saved')}</p>}
            </div>
            <button type="submit" className="button-primary" disabled={action.busy}>
              {t('sensitivitySettings.saveDefault')}
            </button>
          </div>
        </form>
      ) : (
        <dl className="details">
          <Detail term={t('sensitivitySettings.defaultLevel')}>
            <SensitivityBadge level={settings.default_sensitivity} />{' '}
            {t(levelExplanation[settings.default_sensitivity])}
          </Detail>
          {settings.default_sensitivity_reason !== null && (
            <Detail term={t('sensitivity.reason')}>
              <bdi dir="auto">{settings.default_sensitivity_reason}</bdi>
            </Detail>
          )}
        </dl>
      )}
    </section>
  );
}

/** The roles that see restricted records: a checkbox per role for owners (each change saved at once), else a list. */
function RolesSection({ settings, onChanged }: { settings: SensitivitySettings; onChanged: () => void }) {
  const { t, label } = useI18n();
  const action = useAction();
  const [saved, setSaved] = useState<GrantableRole | undefined>(undefined);
  const granted = new Set(settings.restricted_roles.map((grant) => grant.role));
  const toggle = (role: GrantableRole, allow: boolean) => {
    // One change at a time; the boxes stay enabled so the keyboard focus stays where it is.
    if (action.busy) return;
    setSaved(undefined);
    const params = { params: { path: { id: settings.investigation_id, role } } };
    void action
      .run(async () => {
        await call(
          allow
            ? api.PUT('/api/v1/investigations/{id}/sensitivity/restricted-roles/{role}', params)
            : api.DELETE('/api/v1/investigations/{id}/sensitivity/restricted-roles/{role}', params),
        );
      })
      .then((done) => {
        if (!done) return;
        setSaved(role);
        onChanged();
      });
  };
  return (
    <section className="section" aria-labelledby="sensitivity-roles-title">
      <h2 id="sensitivity-roles-title">{t('sensitivitySettings.rolesTitle')}</h2>
      <p className="muted">{t('sensitivitySettings.ownersAlways')}</p>
      {settings.can_change ? (
        <fieldset className="card" aria-busy={action.busy}>
          <legend className="visually-hidden">{t('sensitivitySettings.rolesTitle')}</legend>
          <ul className="grant-list">
            {grantableRoles.map((role) => (
              <li key={role}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={granted.has(role)}
                    onChange={(event) => toggle(role, event.target.checked)}
                  />
                  {t('sensitivitySettings.allowRole', { role: label('role', role) })}
                </label>
                {saved === role && <span className="muted">{t('sensitivitySettings.saved')}</span>}
              </li>
            ))}
          </ul>
          <div aria-live="polite">{action.error !== undefined && <ErrorNotice error={action.error} />}</div>
        </fieldset>
      ) : (
        <dl className="details">
          {grantableRoles.map((role) => (
            <Detail key={role} term={label('role', role)}>
              {granted.has(role) ? t('sensitivitySettings.allowed') : t('sensitivitySettings.notAllowed')}
            </Detail>
          ))}
        </dl>
      )}
    </section>
  );
}

/**
 * Who may see the investigation's records: the caller's clearance, the level new records take when none is
 * chosen, and the roles besides owners that see restricted records. Owners change them; others read them.
 */
export function SensitivityPage({ investigationId }: { investigationId: string }) {
  const { t, label } = useI18n();
  useDocumentTitle(t('sensitivitySettings.title'));
  const settings = useSensitivitySettings(investigationId);
  const [defaultSaved, setDefaultSaved] = useState(false);
  const data = settings.data;
  return (
    <div className="page sensitivity-settings">
      <header className="page-header">
        <h1>{t('sensitivitySettings.title')}</h1>
        <p className="lead">{t('sensitivitySettings.intro')}</p>
      </header>
      {settings.error !== undefined && <ErrorNotice error={settings.error} />}
      {data === undefined ? (
        settings.error === undefined && <Loading />
      ) : (
        <>
          <section className="section" aria-labelledby="sensitivity-clearance-title">
            <h2 id="sensitivity-clearance-title">
              {t('sensitivitySettings.clearance', { level: label('sensitivityLevel', data.clearance) })}
            </h2>
            <p>
              <SensitivityBadge level={data.clearance} /> {t('sensitivitySettings.clearanceHint')}{' '}
              {t(levelExplanation[data.clearance])}
            </p>
            {!data.can_change && <p className="notice">{t('sensitivitySettings.readOnly')}</p>}
          </section>
          {/* Filled again from the server after each change (its version is the one the next change names). */}
          <DefaultSection
            key={data.version}
            settings={data}
            saved={defaultSaved}
            onSaved={(saved) => {
              setDefaultSaved(saved);
              if (saved) settings.reload();
            }}
          />
          <RolesSection settings={data} onChanged={settings.reload} />
        </>
      )}
    </div>
  );
}
