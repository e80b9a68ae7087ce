import { useState, type SubmitEvent } from 'react';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { api, call, fieldErrors, type Investigation } from '../../api/client';
import { EmptyState, ErrorNotice, Field, UserText } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths } from '../../router';

/** The list of the user's investigations, and a form to start one. */
export function HomePage({ investigations, onCreated }: { investigations: Investigation[]; onCreated: () => void }) {
  const { t, label, formatDateTime } = useI18n();
  useDocumentTitle(t('home.title'));
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(undefined);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const created = await call(api.POST('/api/v1/investigations', { body: { title } }));
      onCreated();
      navigate(paths.overview(created.id));
    } catch (caught) {
      setError(caught);
    }
  };
  const errors = fieldErrors(error, (problem) => fieldErrorMessage(t, problem));

  return (
    <section>
      <h1>{t('home.title')}</h1>
      {investigations.length === 0 ? (
        <EmptyState>{t('home.empty')}</EmptyState>
      ) : (
        <ul className="card-list">
          {investigations.map((investigation) => (
            <li key={investigation.id} className="card">
              <h2 className="card-title">
                <Link to={paths.overview(investigation.id)}>
                  <UserText text={investigation.title} />
                </Link>
              </h2>
              <p className="muted">
                {t('layout.role', { role: label('role', investigation.my_role) })} ·{' '}
                {t('home.updated', { when: formatDateTime(investigation.updated_at) })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <form className="card form-inline" onSubmit={(event) => void create(event)}>
        <h2>{t('home.createTitle')}</h2>
        {errors.title === undefined && <ErrorNotice error={error} />}
        <Field label={t('home.investigationTitle')} error={errors.title}>
          {(control) => (
            <input {...control} dir="auto" required value={title} onChange={(event) => setTitle(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="button-primary">
          {t('home.create')}
        </button>
      </form>
    </section>
  );
}
