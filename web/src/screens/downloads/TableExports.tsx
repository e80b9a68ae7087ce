import { profileQuery, type ExportProfile } from './DownloadsScreen';
import { useState } from 'react';
import { downloadFile, type TransferProgress } from '../../api/transfer';
import { TransferProgressBar } from '../../components/TransferProgress';
import { ErrorNotice } from '../../components/ui';
import { useI18n, type MessageKey } from '../../i18n/i18n';

type Table = 'items' | 'markings' | 'sites' | 'hazards';
type Format = 'csv' | 'xlsx' | 'geojson' | 'kml';

interface TableExport {
  table: Table;
  title: MessageKey;
  explanation: MessageKey;
  formats: readonly Format[];
}

/** What the server offers (GET /investigations/{id}/exports/{table}.{format}); the server checks it too. */
const tableExports: readonly TableExport[] = [
  {
    table: 'items',
    title: 'transfer.exports.items',
    explanation: 'transfer.exports.itemsExplanation',
    formats: ['csv', 'xlsx'],
  },
  {
    table: 'markings',
    title: 'transfer.exports.markings',
    explanation: 'transfer.exports.markingsExplanation',
    formats: ['csv'],
  },
  {
    table: 'sites',
    title: 'transfer.exports.sites',
    explanation: 'transfer.exports.sitesExplanation',
    formats: ['csv', 'geojson', 'kml'],
  },
  {
    table: 'hazards',
    title: 'transfer.exports.hazards',
    explanation: 'transfer.exports.hazardsExplanation',
    formats: ['csv', 'geojson'],
  },
];

interface State {
  format?: Format;
  progress?: TransferProgress | undefined;
  running?: boolean;
  saved?: { name: string; bytes: number; leftOut: number | undefined };
  error?: unknown;
}

/** The response header in which the server says how many rows without a point a map file leaves out. */
const leftOutHeader = 'armtrace-left-out';

/**
 * Tables and maps for spreadsheets and GIS: items, markings, sites and the hazard list as CSV, XLSX, GeoJSON or
 * KML, with the labels of controlled values in the chosen language. After a map file, says how many records
 * without a point were left out of it.
 */
export function TableExports({
  investigationId,
  lang,
  profile = 'internal',
}: {
  investigationId: string;
  lang: string;
  profile?: ExportProfile;
}) {
  const { t, formatNumber } = useI18n();
  const [states, setStates] = useState<Partial<Record<Table, State>>>({});
  const update = (table: Table, state: State) => setStates((previous) => ({ ...previous, [table]: state }));

  const start = async (table: Table, format: Format) => {
    update(table, { running: true, format });
    const file = `${table}.${format}`;
    const url = `/api/v1/investigations/${encodeURIComponent(investigationId)}/exports/${file}?lang=${lang}${profile === 'internal' ? '' : `&${profileQuery(profile)}`}`;
    try {
      const saved = await downloadFile(
        url,
        `${table}-${investigationId}-${lang}${profile === 'internal' ? '' : `-${profile}`}.${format}`,
        (progress) => update(table, { running: true, format, progress }),
      );
      const leftOut = saved.header(leftOutHeader);
      update(table, {
        format,
        saved: { name: saved.name, bytes: saved.bytes, leftOut: leftOut === null ? undefined : Number(leftOut) },
      });
    } catch (error) {
      update(table, { format, error });
    }
  };

  return (
    <section aria-labelledby="table-exports-title" className="section">
      <h2 id="table-exports-title">{t('transfer.exports.title')}</h2>
      <p>{t('transfer.exports.intro')}</p>
      <ul className="download-list">
        {tableExports.map((entry) => {
          const state = states[entry.table] ?? {};
          const headingId = `table-export-${entry.table}`;
          return (
            <li key={entry.table} className="section card" aria-labelledby={headingId}>
              <h3 id={headingId}>{t(entry.title)}</h3>
              <p>{t(entry.explanation)}</p>
              <div className="actions">
                {entry.formats.map((format) => (
                  <button
                    key={format}
                    type="button"
                    className="button"
                    disabled={state.running === true}
                    aria-label={t('transfer.exports.download', {
                      table: t(entry.title),
                      format: format.toUpperCase(),
                    })}
                    onClick={() => void start(entry.table, format)}
                  >
                    {format.toUpperCase()}
                  </button>
                ))}
              </div>
              {state.running === true && (
                <TransferProgressBar label={t('transfer.downloads.downloading')} progress={state.progress} />
              )}
              {state.saved !== undefined && (
                <div className="notice notice-success" role="status">
                  <p>
                    {t('transfer.downloads.saved', {
                      // A file name is isolated (FSI … PDI) so that its Latin letters and dashes keep their order in Arabic.
                      name: `\u2068${state.saved.name}\u2069`,
                      size: formatNumber(Math.ceil(state.saved.bytes / 1024)),
                    })}
                  </p>
                  {state.saved.leftOut !== undefined && state.saved.leftOut > 0 && (
                    <p>{t('transfer.exports.leftOut', { count: state.saved.leftOut })}</p>
                  )}
                </div>
              )}
              {state.error !== undefined && <ErrorNotice error={state.error} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
