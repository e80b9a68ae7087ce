import type { FieldProblemEntry } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { useI18n } from '../../i18n/i18n';

/**
 * Why a form export was refused: one row per problem, named by the submission (its instance ID) and the field
 * (`uuid:…/category`, `uuid:…/photos[2]/photo`), the problem in the user's language and the server's own words.
 */
export function FormsImportProblems({ problems }: { problems: readonly FieldProblemEntry[] }) {
  const { t } = useI18n();
  return (
    <section className="section card" aria-labelledby="forms-problems-title" data-testid="forms-problems">
      <h2 id="forms-problems-title">{t('forms.import.problemsTitle', { count: problems.length })}</h2>
      <p>{t('forms.import.nothingImported')}</p>
      <ol className="forms-problems">
        {problems.map((problem, index) => (
          <li key={index}>
            <span className="visually-hidden">{t('forms.import.where')}: </span>
            <bdi dir="ltr" className="forms-problem-field">
              {problem.field}
            </bdi>
            <p>
              <strong>{fieldErrorMessage(t, problem)}</strong>{' '}
              <span className="muted small" dir="auto">
                {problem.message}
              </span>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
