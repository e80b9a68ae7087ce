import { useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorNotice } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import type { ReviewSettings } from './reviewApi';

const rules: readonly ReviewSettings['publication_rule'][] = ['verified', 'submitted'];

/** The investigation's rule of what may be published: shown to every member, changed by owners (audited). */
export function PublicationRuleForm({ investigationId }: { investigationId: string }) {
  const { t } = useI18n();
  const settings = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/review-settings', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const [chosen, setChosen] = useState<ReviewSettings['publication_rule'] | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const [failed, setFailed] = useState<unknown>(undefined);
  if (settings.data === undefined) return settings.error === undefined ? null : <ErrorNotice error={settings.error} />;
  const current = settings.data;
  const value = chosen ?? current.publication_rule;

  const save = async () => {
    setFailed(undefined);
    setSaved(false);
    try {
      await call(
        api.PUT('/api/v1/investigations/{id}/review-settings', {
          params: { path: { id: investigationId } },
          body: { version: current.version, publication_rule: value },
        }),
      );
      setSaved(true);
      setChosen(undefined);
      settings.reload();
    } catch (error) {
      setFailed(error);
    }
  };

  return (
    <section className="section" aria-labelledby="publication-rule-title">
      <h2 id="publication-rule-title">{t('review.rule.title')}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <fieldset disabled={!current.can_change}>
          <legend className="visually-hidden">{t('review.rule.title')}</legend>
          {rules.map((rule) => (
            <label key={rule} className="checkbox-field">
              <input
                type="radio"
                name="publication_rule"
                value={rule}
                checked={value === rule}
                onChange={() => setChosen(rule)}
              />{' '}
              {t(`review.rule.${rule}`)}
            </label>
          ))}
        </fieldset>
        {current.can_change ? (
          <p className="actions">
            <button type="submit" className="button" disabled={value === current.publication_rule}>
              {t('review.rule.save')}
            </button>
          </p>
        ) : (
          <p className="muted">{t('review.rule.ownersOnly')}</p>
        )}
      </form>
      <div aria-live="polite">{saved && <p className="notice notice-success">{t('review.rule.saved')}</p>}</div>
      {failed !== undefined && <ErrorNotice error={failed} />}
    </section>
  );
}
