import { flushSync } from 'react-dom';
import { fieldErrorMessage } from '../api/fieldErrors';
import { useRef, useState, type SubmitEvent } from 'react';
import { api, call, fieldErrors, type Item, type NewMarking } from '../api/client';
import { disposalStatuses, markingKinds } from '../api/vocabulary';
import { AuditList } from '../components/AuditList';
import { CharacterPalette } from '../components/CharacterPalette';
import { MediaSection } from '../components/MediaSection';
import { SeenElsewhere } from '../components/SeenElsewhere';
import {
  Appended,
  Detail,
  EmptyState,
  ErrorNotice,
  Field,
  LoadedSection,
  Loading,
  UserText,
  VocabularySelect,
} from '../components/ui';
import { useDocumentTitle, useLoad } from '../hooks';
import { isolate, useI18n } from '../i18n/i18n';
import { saveOrQueue } from '../offline/save';
import { Link, paths } from '../router';
import { ItemTracing } from '../screens/provenance/ItemTracing';

function AddMarkingForm({
  investigationId,
  itemId,
  onAdded,
}: {
  investigationId: string;
  itemId: string;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<NewMarking['kind']>('serial');
  const [position, setPosition] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const textRef = useRef<HTMLInputElement>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = { text, kind, position: position.trim() === '' ? null : position.trim() };
      await saveOrQueue({
        type: 'marking.create',
        investigationId,
        body: { ...body, item_id: itemId },
        label: text,
        rest: () => call(api.POST('/api/v1/items/{id}/markings', { params: { path: { id: itemId } }, body })),
      });
      setText('');
      setPosition('');
      onAdded();
      textRef.current?.focus();
    } catch (caught) {
      setError(caught);
    }
  };

  const insert = (character: string) => {
    const input = textRef.current;
    if (input === null) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    flushSync(() => setText(`${input.value.slice(0, start)}${character}${input.value.slice(end)}`));
    input.setSelectionRange(start + character.length, start + character.length);
  };

  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('item.addMarking')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <div className="field-grid">
        <Field label={t('marking.text')} error={errors.text}>
          {(control) => (
            <input
              {...control}
              ref={textRef}
              dir="auto"
              spellCheck={false}
              autoComplete="off"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('marking.kind')} error={errors.kind}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="markingKind"
              values={markingKinds}
              value={kind}
              onChange={(value) => setKind(value as NewMarking['kind'])}
            />
          )}
        </Field>
        <Field label={t('marking.position')} error={errors.position}>
          {(control) => (
            <input {...control} dir="auto" value={position} onChange={(event) => setPosition(event.target.value)} />
          )}
        </Field>
      </div>
      <SeenElsewhere investigationId={investigationId} itemId={itemId} text={text} />
      <CharacterPalette onInsert={insert} />
      <button type="submit">{t('item.addMarking')}</button>
    </form>
  );
}

function DisposalForm({ item, onChanged }: { item: Item; onChanged: () => void }) {
  const { t, label } = useI18n();
  const [status, setStatus] = useState<Item['disposal_status']>(item.disposal_status);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const change = { disposal_status: status, note: note.trim() === '' ? undefined : note.trim() };
      await saveOrQueue({
        type: 'item.disposal',
        investigationId: item.investigation_id,
        recordId: item.id,
        baseVersion: item.version,
        body: change,
        label: label('disposal', status),
        rest: () =>
          call(
            api.PATCH('/api/v1/items/{id}/disposal', {
              params: { path: { id: item.id } },
              body: { version: item.version, ...change },
            }),
          ),
      });
      setNote('');
      onChanged();
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('item.changeDisposal')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <Field label={t('item.disposalStatus')} error={errors.disposal_status}>
        {(control) => (
          <VocabularySelect
            control={control}
            group="disposal"
            values={disposalStatuses}
            value={status}
            onChange={(value) => setStatus(value as Item['disposal_status'])}
          />
        )}
      </Field>
      <Field label={t('item.disposalNote')} error={errors.note} hint={t('item.disposalNoteHint')}>
        {(control) => <input {...control} dir="auto" value={note} onChange={(event) => setNote(event.target.value)} />}
      </Field>
      <button type="submit">{t('item.changeDisposal')}</button>
    </form>
  );
}

function CustodyForm({
  investigationId,
  itemId,
  onAdded,
}: {
  investigationId: string;
  itemId: string;
  onAdded: () => void;
}) {
  const { t } = useI18n();
  const [fromParty, setFromParty] = useState('');
  const [toParty, setToParty] = useState('');
  const [occurredAt, setOccurredAt] = useState('');
  const [place, setPlace] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = {
        from_party: fromParty,
        to_party: toParty,
        occurred_at: occurredAt === '' ? undefined : new Date(occurredAt).toISOString(),
        place: place.trim() === '' ? null : place.trim(),
        note,
      };
      await saveOrQueue({
        type: 'custody.create',
        investigationId,
        body: { ...body, item_id: itemId },
        label: `${fromParty} → ${toParty}`,
        rest: () => call(api.POST('/api/v1/items/{id}/custody', { params: { path: { id: itemId } }, body })),
      });
      setFromParty('');
      setToParty('');
      setOccurredAt('');
      setPlace('');
      setNote('');
      onAdded();
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));
  return (
    <form className="form-inline" aria-label={t('custody.record')} onSubmit={(event) => void submit(event)}>
      {Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <p className="field-hint">{t('custody.appendOnly')}</p>
      <div className="field-grid">
        <Field label={t('custody.from')} error={errors.from_party}>
          {(control) => (
            <input {...control} dir="auto" value={fromParty} onChange={(event) => setFromParty(event.target.value)} />
          )}
        </Field>
        <Field label={t('custody.to')} error={errors.to_party}>
          {(control) => (
            <input {...control} dir="auto" value={toParty} onChange={(event) => setToParty(event.target.value)} />
          )}
        </Field>
        <Field label={t('custody.when')} error={errors.occurred_at} hint={t('custody.whenHint')}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={occurredAt}
              onChange={(event) => setOccurredAt(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('custody.place')} error={errors.place}>
          {(control) => (
            <input {...control} dir="auto" value={place} onChange={(event) => setPlace(event.target.value)} />
          )}
        </Field>
      </div>
      <Field label={t('custody.note')} error={errors.note}>
        {(control) => <input {...control} dir="auto" value={note} onChange={(event) => setNote(event.target.value)} />}
      </Field>
      <button type="submit">{t('custody.record')}</button>
    </form>
  );
}

export function ItemPage({ investigationId, itemId }: { investigationId: string; itemId: string }) {
  const { t, label, formatNumber, formatDateTime } = useI18n();
  const item = useLoad(() => call(api.GET('/api/v1/items/{id}', { params: { path: { id: itemId } } })), [itemId]);
  const siteId = item.data?.site_id;
  const site = useLoad(
    () =>
      siteId === undefined
        ? Promise.resolve(undefined)
        : call(api.GET('/api/v1/sites/{id}', { params: { path: { id: siteId } } })),
    [siteId],
  );
  const zones = useLoad(
    () =>
      siteId === undefined
        ? Promise.resolve(undefined)
        : call(api.GET('/api/v1/sites/{id}/zones', { params: { path: { id: siteId }, query: { limit: 500 } } })),
    [siteId],
  );
  const custody = useLoad(
    () => call(api.GET('/api/v1/items/{id}/custody', { params: { path: { id: itemId } } })),
    [itemId],
  );
  const audit = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/audit', {
          params: { path: { id: investigationId }, query: { entity_id: itemId, limit: 100 } },
        }),
      ),
    [investigationId, itemId],
  );
  const title = item.data === undefined ? undefined : label('category', item.data.category);
  useDocumentTitle(title);

  if (item.error !== undefined) return <ErrorNotice error={item.error} />;
  if (item.data === undefined) return <Loading />;
  const data = item.data;
  const zone = zones.data?.items.find((candidate) => candidate.id === data.zone_id);
  const refresh = () => {
    item.reload();
    audit.reload();
  };

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={paths.site(investigationId, data.site_id)}>
            {site.data === undefined ? t('item.site') : <UserText text={site.data.name} />}
          </Link>
        </p>
        <h1>
          {title}
          <Appended separator=" · " text={data.model} />
        </h1>
        {data.archived_at !== null && (
          <p className="notice notice-warning">
            {t('item.archived')} <bdi dir="auto">{data.archive_reason}</bdi>
          </p>
        )}
      </header>

      <section className="section" aria-labelledby="item-details-title">
        <h2 id="item-details-title">{t('item.details')}</h2>
        <dl className="details">
          <Detail term={t('item.externalRef')}>
            <UserText text={data.external_ref} />
          </Detail>
          <Detail term={t('item.quantity')}>{formatNumber(data.quantity)}</Detail>
          <Detail term={t('item.zone')}>
            {zone === undefined ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              <UserText text={zone.name} />
            )}
          </Detail>
          <Detail term={t('item.condition')}>{label('condition', data.condition)}</Detail>
          <Detail term={t('item.assemblyState')}>{label('assembly', data.assembly_state)}</Detail>
          <Detail term={t('item.productionType')}>{label('productionType', data.production_type)}</Detail>
          <Detail term={t('item.tags')}>
            {data.tags.length === 0 ? (
              <span className="muted">{t('common.notRecorded')}</span>
            ) : (
              <ul className="tags">
                {data.tags.map((tag) => (
                  <li key={tag}>
                    <bdi dir="auto">{tag}</bdi>
                  </li>
                ))}
              </ul>
            )}
          </Detail>
          <Detail term={t('item.recorded')}>{formatDateTime(data.created_at)}</Detail>
        </dl>
        {data.observations !== '' && (
          <>
            <h3>{t('item.observations')}</h3>
            <p className="prose" dir="auto">
              {data.observations}
            </p>
          </>
        )}
      </section>

      <section className="section" aria-labelledby="markings-title">
        <h2 id="markings-title">{t('item.markings')}</h2>
        {data.markings.length === 0 ? (
          <EmptyState>{t('item.noMarkings')}</EmptyState>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="markings-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('marking.text')}</th>
                  <th scope="col">{t('marking.kind')}</th>
                  <th scope="col">{t('marking.position')}</th>
                  <th scope="col">{t('marking.script')}</th>
                  <th scope="col">{t('marking.legibility')}</th>
                </tr>
              </thead>
              <tbody>
                {data.markings.map((marking) => (
                  <tr key={marking.id}>
                    <td className="marking-text-cell">
                      <bdi dir="auto">{marking.text}</bdi>
                    </td>
                    <td>{label('markingKind', marking.kind)}</td>
                    <td>
                      <UserText text={marking.position} />
                    </td>
                    <td>{marking.script ?? ''}</td>
                    <td>{label('legibility', marking.legibility)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <AddMarkingForm investigationId={investigationId} itemId={itemId} onAdded={refresh} />
      </section>

      <MediaSection
        investigationId={investigationId}
        target={{ itemId, markingIds: data.markings.map((marking) => marking.id) }}
        markingText={(markingId) => data.markings.find((marking) => marking.id === markingId)?.text}
      />

      <section className="section section-hazards" aria-labelledby="hazard-title">
        <h2 id="hazard-title">{t('item.hazardAndDisposal')}</h2>
        <dl className="details">
          <Detail term={t('item.fuzeFitted')}>{label('hazardState', data.fuze_fitted)}</Detail>
          <Detail term={t('item.safetyDeviceFitted')}>{label('hazardState', data.safety_device_fitted)}</Detail>
          <Detail term={t('item.disposalStatus')}>{label('disposal', data.disposal_status)}</Detail>
          <Detail term={t('item.disposalNote')}>
            <UserText text={data.disposal_note} />
          </Detail>
        </dl>
        <DisposalForm key={data.version} item={data} onChanged={refresh} />
      </section>

      <LoadedSection
        id="custody"
        title={t('custody.title')}
        loaded={custody}
        isEmpty={(found) => found.items.length === 0}
        empty={t('custody.empty')}
        footer={<CustodyForm investigationId={investigationId} itemId={itemId} onAdded={custody.reload} />}
      >
        {(found) => (
          <ol className="timeline">
            {found.items.map((event) => (
              <li key={event.id}>
                <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time>
                <span>
                  {t('custody.handOver', { from: isolate(event.from_party), to: isolate(event.to_party) })}
                  <Appended separator=" · " text={event.place} />
                  <Appended separator=" — " text={event.note} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </LoadedSection>

      <ItemTracing investigationId={investigationId} itemId={itemId} markings={data.markings} />

      <LoadedSection id="history" title={t('item.history')} loaded={audit}>
        {(found) => <AuditList entries={found.items} showEntity={false} />}
      </LoadedSection>
    </div>
  );
}
