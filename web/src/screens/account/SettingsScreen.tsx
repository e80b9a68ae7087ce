import { useState, type SubmitEvent } from 'react';
import { LanguagePicker } from '../../components/Layout';
import { TwoFactorSettings } from '../../components/TwoFactorSettings';
import { Field } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { AccountSettings } from './AccountSettings';
import { isValidTileUrl, savedTileUrl, saveTileUrl } from '../../map/tileSetting';

export function SettingsPage() {
  const { t } = useI18n();
  useDocumentTitle(t('settings.title'));
  const [tileUrl, setTileUrl] = useState(savedTileUrl);
  const [status, setStatus] = useState<'saved' | 'invalid' | undefined>(undefined);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (tileUrl.trim() !== '' && !isValidTileUrl(tileUrl.trim())) {
      setStatus('invalid');
      return;
    }
    saveTileUrl(tileUrl);
    setStatus('saved');
  };

  return (
    <div className="page">
      <h1>{t('settings.title')}</h1>
      <section className="section card">
        <h2>{t('settings.language')}</h2>
        <LanguagePicker />
      </section>
      <form className="section card" onSubmit={submit}>
        <h2>{t('settings.mapTitle')}</h2>
        <p>{t('settings.mapExplanation')}</p>
        <Field
          label={t('settings.tileUrl')}
          hint={t('settings.tileUrlHint')}
          error={status === 'invalid' ? t('settings.tileUrlInvalid') : undefined}
        >
          {(control) => (
            <input
              {...control}
              dir="ltr"
              type="url"
              spellCheck={false}
              placeholder="https://tiles.example.org/{z}/{x}/{y}.png"
              value={tileUrl}
              onChange={(event) => {
                setTileUrl(event.target.value);
                setStatus(undefined);
              }}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button-primary">
            {t('settings.save')}
          </button>
          {status === 'saved' && (
            <span role="status" className="muted">
              {t('settings.saved')}
            </span>
          )}
        </div>
      </form>
      <TwoFactorSettings />
      <AccountSettings />
    </div>
  );
}
