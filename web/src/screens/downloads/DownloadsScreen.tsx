import { useState } from 'react';
import { ApiError, api, call } from '../../api/client';
import { downloadFile, type TransferProgress } from '../../api/transfer';
import { TransferProgressBar } from '../../components/TransferProgress';
import { ErrorNotice } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { PreparedFiles } from './PreparedFiles';
import { TableExports } from './TableExports';
import { useDownloadJobs } from './useDownloadJobs';

/** The export profiles (src/features/export/profiles.ts); partner and public: owners and editors only. */
export type ExportProfile = 'internal' | 'partner' | 'public';
const releasingRoles: readonly string[] = ['owner', 'editor'];

/**
 * The query parameters of a profile: nothing for internal (the server's default); for public, the grid's cell size
 * as typed (the server checks it and names the field when it is refused).
 */
export function profileQuery(profile: ExportProfile, gridKm = ''): string {
  if (profile === 'internal') return '';
  const grid = profile === 'public' && gridKm.trim() !== '' ? `&grid_km=${encodeURIComponent(gridKm.trim())}` : '';
  return `profile=${profile}${grid}`;
}

function withQuery(url: string, query: string): string {
  return query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

type Kind = 'json' | 'bag' | 'html' | 'pdf';
/** Prepared by the server as a job (followed under "Prepared files"), not sent at once. */
const preparedKinds: readonly Kind[] = ['bag', 'pdf'];

interface Download {
  kind: Kind;
  title: MessageKey;
  explanation: MessageKey;
  url: (investigationId: string, lang: string) => string;
  fallbackName: (investigationId: string, lang: string) => string;
}

const base = (investigationId: string) => `/api/v1/investigations/${encodeURIComponent(investigationId)}`;

const downloads: readonly Download[] = [
  {
    kind: 'json',
    title: 'transfer.downloads.json',
    explanation: 'transfer.downloads.jsonExplanation',
    url: (id) => `${base(id)}/export.json`,
    fallbackName: (id) => `investigation-${id}.json`,
  },
  {
    kind: 'bag',
    title: 'transfer.downloads.bag',
    explanation: 'transfer.downloads.bagExplanation',
    url: (id) => `${base(id)}/bag.tar`,
    fallbackName: (id) => `investigation-${id}-bag.tar`,
  },
  {
    kind: 'html',
    title: 'transfer.downloads.html',
    explanation: 'transfer.downloads.htmlExplanation',
    url: (id, lang) => `${base(id)}/report.html?lang=${lang}`,
    fallbackName: (id, lang) => `report-${id}-${lang}.html`,
  },
  {
    kind: 'pdf',
    title: 'transfer.downloads.pdf',
    explanation: 'transfer.downloads.pdfExplanation',
    url: (id, lang) => `${base(id)}/report.pdf?lang=${lang}`,
    fallbackName: (id, lang) => `report-${id}-${lang}.pdf`,
  },
];

interface State {
  progress?: TransferProgress | undefined;
  running?: boolean;
  saved?: { name: string; bytes: number };
  /** A job was started (or the same one was already under way). */
  started?: boolean;
  error?: unknown;
}

function DownloadError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.problem.code === 'program_missing') {
    return (
      <div className="notice notice-error" role="alert">
        <p>{t('transfer.downloads.pdfUnavailable')}</p>
        <p className="notice-detail" dir="ltr">
          {error.problem.detail}
        </p>
      </div>
    );
  }
  return <ErrorNotice error={error} />;
}

/**
 * Every way an investigation leaves armtrace: the JSON export, the BagIt bag (one tar), the report as HTML and
 * as PDF, tables and maps (CSV, XLSX, GeoJSON, KML), each downloaded with its progress shown. The bag and the PDF
 * are prepared by the server as jobs, followed under "Prepared files" (PreparedFiles), which also lists those
 * prepared earlier. Every member may download; the server checks it too.
 */
export function DownloadsScreen({ investigationId }: { investigationId: string }) {
  const { t, locale, formatNumber } = useI18n();
  useDocumentTitle(t('transfer.downloads.title'));
  const [lang, setLang] = useState<'en' | 'ar' | 'fr'>(locale);
  const [states, setStates] = useState<Partial<Record<Kind, State>>>({});
  const [profile, setProfile] = useState<ExportProfile>('internal');
  const [gridKm, setGridKm] = useState('10');
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const mayRelease = releasingRoles.includes(investigation.data?.my_role ?? 'viewer');
  const suffix = profile === 'internal' ? '' : `-${profile}`;
  const update = (kind: Kind, state: State) => setStates((previous) => ({ ...previous, [kind]: state }));
  const jobs = useDownloadJobs(investigationId);

  const prepare = async (kind: 'bag' | 'pdf') => {
    update(kind, { running: true });
    try {
      const grid = Number(gridKm.trim());
      await jobs.start(
        kind === 'bag'
          ? { kind, profile, gridKm: gridKm.trim() === '' || Number.isNaN(grid) ? undefined : grid }
          : { kind, lang },
      );
      update(kind, { started: true });
    } catch (error) {
      update(kind, { error });
    }
  };

  const start = async (download: Download) => {
    if (download.kind === 'bag' || download.kind === 'pdf') return prepare(download.kind);
    update(download.kind, { running: true });
    try {
      const saved = await downloadFile(
        withQuery(download.url(investigationId, lang), profileQuery(profile, gridKm)),
        download.fallbackName(investigationId, lang).replace(/(\.[a-z]+)$/, `${suffix}$1`),
        (progress) => update(download.kind, { running: true, progress }),
      );
      update(download.kind, { saved });
    } catch (error) {
      update(download.kind, { error });
    }
  };

  return (
    <div className="page">
      <h1>{t('transfer.downloads.title')}</h1>
      <p>{t('transfer.downloads.intro')}</p>
      <label className="field">
        <span>{t('transfer.downloads.language')}</span>
        <select value={lang} onChange={(event) => setLang(event.target.value as 'en' | 'ar' | 'fr')}>
          <option value="en" lang="en">
            English
          </option>
          <option value="ar" lang="ar">
            العربية
          </option>
          <option value="fr" lang="fr">
            Français
          </option>
        </select>
      </label>
      <label className="field">
        <span>{t('transfer.downloads.profile')}</span>
        <select
          value={profile}
          onChange={(event) => setProfile(event.target.value as ExportProfile)}
          aria-describedby="download-profile-help"
        >
          <option value="internal">{t('transfer.downloads.profileInternal')}</option>
          <option value="partner" disabled={!mayRelease}>
            {t('transfer.downloads.profilePartner')}
          </option>
          <option value="public" disabled={!mayRelease}>
            {t('transfer.downloads.profilePublic')}
          </option>
        </select>
        <small id="download-profile-help">{t('transfer.downloads.profileHelp')}</small>
      </label>
      {profile === 'public' && (
        <label className="field">
          <span>{t('transfer.downloads.gridKm')}</span>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            step={1}
            value={gridKm}
            onChange={(event) => setGridKm(event.target.value)}
          />
        </label>
      )}
      <ul className="download-list">
        {downloads.map((download) => {
          const state = states[download.kind] ?? {};
          const headingId = `download-${download.kind}`;
          const prepared = preparedKinds.includes(download.kind);
          return (
            <li key={download.kind} className="section card" aria-labelledby={headingId}>
              <h2 id={headingId}>{t(download.title)}</h2>
              <p>{t(download.explanation)}</p>
              <button
                type="button"
                className="button button-primary"
                disabled={state.running === true}
                onClick={() => void start(download)}
              >
                {prepared
                  ? t('transfer.jobs.prepare', { what: t(download.title) })
                  : t('transfer.downloads.download', { what: t(download.title) })}
              </button>
              {state.started === true && (
                <p className="notice notice-success" role="status">
                  <a href="#prepared-files">{t('transfer.jobs.started')}</a>
                </p>
              )}
              {state.running === true && !prepared && (
                <TransferProgressBar label={t('transfer.downloads.downloading')} progress={state.progress} />
              )}
              {state.saved !== undefined && (
                <p className="notice notice-success" role="status">
                  {t('transfer.downloads.saved', {
                    // A file name is isolated (FSI … PDI) so that its Latin letters and dashes keep their order in Arabic.
                    name: `\u2068${state.saved.name}\u2069`,
                    size: formatNumber(Math.ceil(state.saved.bytes / 1024)),
                  })}
                </p>
              )}
              {state.error !== undefined && <DownloadError error={state.error} />}
            </li>
          );
        })}
      </ul>
      <PreparedFiles jobs={jobs} />
      <TableExports investigationId={investigationId} lang={lang} profile={profile} gridKm={gridKm} />
    </div>
  );
}
