import { useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type Zone } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { RecordHistory } from '../../components/record/RecordHistory';
import { StaleEditNotice } from '../../components/record/StaleEditNotice';
import { useVersionedEdit } from '../../components/record/useVersionedEdit';
import { Appended, ErrorNotice, Field, LoadedSection, UserText } from '../../components/ui';
import { useLoad } from '../../hooks';
import { isolate, useI18n } from '../../i18n/i18n';
import { saveOrQueue } from '../../offline/save';

/** Adds a zone to the site (kept on the device when offline). */
function ZoneForm({
  investigationId,
  siteId,
  onCreated,
}: {
  investigationId: string;
  siteId: string;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await saveOrQueue({
        type: 'zone.create',
        investigationId,
        body: { site_id: siteId, name, description },
        label: name,
        rest: () =>
          call(api.POST('/api/v1/sites/{id}/zones', { params: { path: { id: siteId } }, body: { name, description } })),
      });
      setName('');
      setDescription('');
      onCreated();
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" onSubmit={(event) => void submit(event)} aria-label={t('site.addZone')}>
      {errors.name === undefined && errors.description === undefined && <ErrorNotice error={error} />}
      <ZoneFields
        name={name}
        description={description}
        onName={setName}
        onDescription={setDescription}
        errors={errors}
      />
      <button type="submit">{t('site.addZone')}</button>
    </form>
  );
}

function ZoneFields({
  name,
  description,
  onName,
  onDescription,
  errors,
  autoFocus = false,
}: {
  name: string;
  description: string;
  onName: (name: string) => void;
  onDescription: (description: string) => void;
  errors: Record<string, string>;
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t('site.zoneName')} error={errors.name} hint={t('site.zoneNameHint')}>
        {(control) => (
          <input
            {...control}
            dir="auto"
            required
            autoFocus={autoFocus}
            value={name}
            onChange={(event) => onName(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('site.zoneDescription')} error={errors.description}>
        {(control) => (
          <input {...control} dir="auto" value={description} onChange={(event) => onDescription(event.target.value)} />
        )}
      </Field>
    </>
  );
}

/** Corrects a zone's name and description with the version check. */
function ZoneEditForm({ zone, onDone, onReload }: { zone: Zone; onDone: () => void; onReload: () => void }) {
  const { t } = useI18n();
  const [base, setBase] = useState(zone);
  const [name, setName] = useState(zone.name);
  const [description, setDescription] = useState(zone.description);
  const edit = useVersionedEdit({
    version: zone.version,
    send: (body) => call(api.PATCH('/api/v1/zones/{id}', { params: { path: { id: zone.id } }, body })),
    readCurrent: () => call(api.GET('/api/v1/zones/{id}', { params: { path: { id: zone.id } } })),
    onSaved: onDone,
    onUseCurrent: (current) => {
      setBase(current);
      setName(current.name);
      setDescription(current.description);
      onReload();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const changes = {
      ...(name === base.name ? {} : { name }),
      ...(description === base.description ? {} : { description }),
    };
    if (Object.keys(changes).length === 0) onDone();
    else void edit.save(changes);
  };
  const errors = fieldErrors(edit.error, (problem) => fieldErrorMessage(t, problem));
  const fields = [
    { key: 'name', label: t('site.zoneName') },
    { key: 'description', label: t('site.zoneDescription') },
  ];
  return (
    <form
      className="form-inline record-edit"
      aria-label={t('edit.zone.title', { name: isolate(zone.name) })}
      noValidate
      onSubmit={submit}
    >
      {edit.error !== undefined && errors.name === undefined && errors.description === undefined && (
        <ErrorNotice error={edit.error} />
      )}
      <ZoneFields
        name={name}
        description={description}
        onName={setName}
        onDescription={setDescription}
        errors={errors}
        autoFocus
      />
      {edit.conflict !== undefined && (
        <StaleEditNotice
          fields={fields}
          mine={edit.conflict.mine}
          current={edit.conflict.current}
          onUseCurrent={edit.useCurrent}
          onApplyMine={() => void edit.applyMine()}
          busy={edit.busy}
        />
      )}
      <div className="record-edit-actions">
        <button type="submit" className="button-primary" disabled={edit.busy}>
          {t('edit.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function ZoneRow({
  zone,
  mayEdit,
  investigationId,
  onChanged,
}: {
  zone: Zone;
  mayEdit: boolean;
  investigationId: string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState(false);
  const name = isolate(zone.name);
  return (
    <li className="zone-row" data-testid="zone">
      <strong>
        <UserText text={zone.name} />
      </strong>
      <Appended separator=" — " text={zone.description} />
      <div className="record-edit-actions">
        {mayEdit && !editing && (
          <button type="button" aria-label={t('edit.zone.editLabel', { name })} onClick={() => setEditing(true)}>
            {t('edit.zone.edit')}
          </button>
        )}
        {mayEdit && (
          <ArchiveButton
            title={t('edit.zone.archiveTitle', { name })}
            label={t('edit.zone.archiveTitle', { name })}
            onArchive={(reason) =>
              call(
                api.POST('/api/v1/zones/{id}/archive', {
                  params: { path: { id: zone.id } },
                  body: { version: zone.version, reason },
                }),
              )
            }
            onArchived={onChanged}
          />
        )}
        <button type="button" aria-expanded={history} onClick={() => setHistory((shown) => !shown)}>
          {history ? t('edit.hideHistory') : t('edit.showHistory')}
        </button>
      </div>
      {editing && (
        <ZoneEditForm
          zone={zone}
          onReload={onChanged}
          onDone={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
      {history && (
        <RecordHistory
          investigationId={investigationId}
          entityId={zone.id}
          refreshKey={zone.version}
          title={t('edit.zone.historyTitle', { name })}
          fieldLabels={{
            name: t('site.zoneName'),
            description: t('site.zoneDescription'),
            archive_reason: t('record.archive.reason'),
          }}
        />
      )}
    </li>
  );
}

/** The site's zones: each can be corrected, archived (with a reason) and its history shown; new ones added below. */
export function ZonesSection({
  investigationId,
  siteId,
  mayChange,
}: {
  investigationId: string;
  siteId: string;
  mayChange: (record: { created_by: string }) => boolean;
}) {
  const { t } = useI18n();
  const zones = useLoad(
    () => call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: siteId }, query: { limit: 500 } } })),
    [siteId],
  );
  return (
    <LoadedSection
      id="zones"
      title={t('site.zones')}
      loaded={zones}
      isEmpty={(found) => found.items.length === 0}
      empty={t('site.noZones')}
      footer={<ZoneForm investigationId={investigationId} siteId={siteId} onCreated={zones.reload} />}
    >
      {(found) => (
        <ul className="plain-list zone-list">
          {found.items.map((zone) => (
            <ZoneRow
              key={`${zone.id}-${zone.version}`}
              zone={zone}
              investigationId={investigationId}
              mayEdit={mayChange(zone)}
              onChanged={zones.reload}
            />
          ))}
        </ul>
      )}
    </LoadedSection>
  );
}
