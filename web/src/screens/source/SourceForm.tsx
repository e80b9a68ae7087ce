import type { ReactNode } from 'react';
import { api, call, type BodyOf, type Source } from '../../api/client';
import { valueText } from '../../components/record/recordDiff';
import { RegisterFormFooter } from '../../components/record/RegisterFormFooter';
import { useDraftRegisterForm } from '../../components/record/useDraftRegisterForm';
import { Field, VocabularySelect, type ControlProps } from '../../components/ui';
import { useI18n, type I18n, type MessageKey } from '../../i18n/i18n';
import { credibilities, reliabilities, sourceKinds } from './grading';

type NewSource = BodyOf<'/api/v1/investigations/{id}/sources', 'post'>;
type TextField = 'title' | 'publisher' | 'url' | 'language' | 'published_on' | 'excerpt' | 'credit_line' | 'notes';
type SourceDraft = Record<TextField | 'kind' | 'reliability' | 'credibility', string>;

const emptyDraft: SourceDraft = {
  kind: 'media_report',
  title: '',
  publisher: '',
  url: '',
  language: '',
  published_on: '',
  excerpt: '',
  credit_line: '',
  reliability: '',
  credibility: '',
  notes: '',
};

function draftOf(source: Source): SourceDraft {
  return {
    kind: source.kind,
    title: source.title,
    publisher: source.publisher ?? '',
    url: source.url ?? '',
    language: source.language ?? '',
    published_on: source.published_on ?? '',
    excerpt: source.excerpt ?? '',
    credit_line: source.credit_line ?? '',
    reliability: source.reliability ?? '',
    credibility: source.credibility === null ? '' : String(source.credibility),
    notes: source.notes,
  };
}

/** Empty optional fields are "not recorded" (null); the excerpt is sent exactly as typed. */
function bodyOf(draft: SourceDraft): NewSource {
  const orNull = (value: string) => (value === '' ? null : value);
  return {
    kind: draft.kind as NewSource['kind'],
    title: draft.title,
    publisher: orNull(draft.publisher),
    url: orNull(draft.url.trim()),
    language: orNull(draft.language.trim()),
    published_on: orNull(draft.published_on),
    excerpt: orNull(draft.excerpt),
    credit_line: orNull(draft.credit_line),
    reliability: orNull(draft.reliability) as NewSource['reliability'],
    credibility: draft.credibility === '' ? null : Number(draft.credibility),
    notes: draft.notes,
  };
}

const textFields: { key: TextField; label: MessageKey; hint?: MessageKey; multiline?: boolean; ltr?: boolean }[] = [
  { key: 'title', label: 'sources.titleField' },
  { key: 'publisher', label: 'sources.publisher' },
  { key: 'url', label: 'sources.url', ltr: true },
  { key: 'language', label: 'sources.language', hint: 'sources.languageHint', ltr: true },
  { key: 'credit_line', label: 'sources.creditLine', hint: 'sources.creditLineHint' },
  { key: 'excerpt', label: 'sources.excerpt', hint: 'sources.excerptHint', multiline: true },
  { key: 'notes', label: 'sources.notes', multiline: true },
];

const fieldLabels: Record<keyof SourceDraft, MessageKey> = {
  kind: 'sources.kind',
  title: 'sources.titleField',
  publisher: 'sources.publisher',
  url: 'sources.url',
  language: 'sources.language',
  published_on: 'sources.publishedOn',
  excerpt: 'sources.excerpt',
  credit_line: 'sources.creditLine',
  reliability: 'sources.reliability',
  credibility: 'sources.credibility',
  notes: 'sources.notes',
};

/** The source's fields by their API names, in the user's language (for the history and the stale-edit view). */
export function sourceFieldLabels(t: I18n['t']): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldLabels).map(([key, message]) => [key, t(message)]));
}

/** Records a new source or corrects one (version-checked), with its Admiralty grading and credit line. */
export function SourceForm({
  investigationId,
  source,
  onCreated,
  onSaved,
  onCancel,
}: {
  investigationId: string;
  source?: Source;
  onCreated?: (source: Source) => void;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const { t, label } = useI18n();
  const { draft, set, submit, errors, unplaced, form } = useDraftRegisterForm({
    record: source,
    emptyDraft,
    draftOf,
    bodyOf,
    isPlaced: (field) => field in emptyDraft,
    create: (body: NewSource) =>
      call(api.POST('/api/v1/investigations/{id}/sources', { params: { path: { id: investigationId } }, body })),
    update: (id, body) => call(api.PATCH('/api/v1/sources/{id}', { params: { path: { id } }, body })),
    read: (id) => call(api.GET('/api/v1/sources/{id}', { params: { path: { id } } })),
    onCreated,
    onSaved,
  });
  const select = (key: 'reliability' | 'credibility', values: readonly (string | number)[]): ReactNode => (
    <Field label={t(`sources.${key}`)} error={errors[key]}>
      {(control: ControlProps) => (
        <select {...control} name={key} value={draft[key]} onChange={(event) => set(key)(event.target.value)}>
          <option value="">{t('sources.notGraded')}</option>
          {values.map((value) => (
            <option key={value} value={String(value)}>
              {`${value} · ${label(key, String(value))}`}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form className="card" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="source-form-title">
      <h2 id="source-form-title">{source === undefined ? t('sources.new') : t('sources.edit')}</h2>
      <div className="field-grid">
        <Field label={t('sources.kind')} error={errors.kind}>
          {(control) => (
            <VocabularySelect
              control={control}
              group="sourceKind"
              values={sourceKinds}
              value={draft.kind}
              onChange={set('kind')}
              required
            />
          )}
        </Field>
        <Field label={t('sources.publishedOn')} error={errors.published_on}>
          {(control) => (
            <input
              {...control}
              name="published_on"
              type="date"
              value={draft.published_on}
              onChange={(event) => set('published_on')(event.target.value)}
            />
          )}
        </Field>
        {select('reliability', reliabilities)}
        {select('credibility', credibilities)}
      </div>
      <p className="muted">{t('sources.gradingExplanation')}</p>
      {textFields.map((field) => (
        <Field
          key={field.key}
          label={t(field.label)}
          hint={field.hint === undefined ? undefined : t(field.hint)}
          error={errors[field.key]}
        >
          {(control) =>
            field.multiline === true ? (
              <textarea
                {...control}
                name={field.key}
                dir="auto"
                rows={3}
                value={draft[field.key]}
                onChange={(event) => set(field.key)(event.target.value)}
              />
            ) : (
              <input
                {...control}
                name={field.key}
                dir={field.ltr === true ? 'ltr' : 'auto'}
                value={draft[field.key]}
                onChange={(event) => set(field.key)(event.target.value)}
              />
            )
          }
        </Field>
      ))}
      <RegisterFormFooter
        form={form}
        unplaced={unplaced}
        staleFields={(Object.keys(fieldLabels) as (keyof SourceDraft)[]).map((key) => ({
          key,
          label: t(fieldLabels[key]),
          display: key === 'kind' ? (value: unknown) => label('sourceKind', valueText(value)) : valueText,
        }))}
        submitLabel={source === undefined ? t('sources.create') : t('register.save')}
        onCancel={onCancel}
      />
    </form>
  );
}
