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
      <div className="table-wrap" role="region" aria-labelledby="forms-problems-title" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('forms.import.where')}</th>
              <th scope="col">{t('forms.import.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((problem, index) => (
              <tr key={index}>
                <td>
                  <bdi dir="ltr" className="media-hash">
                    {problem.field}
                  </bdi>
                </td>
                <td>
                  {fieldErrorMessage(t, problem)}{' '}
                  <span className="muted small" dir="auto">
                    ({problem.message})
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
