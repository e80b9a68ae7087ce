import { api, call } from '../../api/client';
import { useState } from 'react';
import { LoadedSection, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { CategoriesChart, ProductionCountriesChart } from './CountriesAndCategories';
import { CraftClustersChart } from './CraftClusters';
import { ExportToRecoveryChart } from './ExportToRecovery';
import { OpenTraceRequestsChart, ProductionSitesChart } from './ProductionSitesAndRequests';

/** The figures analysts publish, as charts with their tables, and the report that gathers them. */
export function AnalysisPage({ investigationId }: { investigationId: string }) {
  const { t, locale } = useI18n();
  useDocumentTitle(t('analysis.title'));
  const [granularity, setGranularity] = useState<'month' | 'year'>('year');
  const path = { params: { path: { id: investigationId } } };
  const investigation = useLoad(() => call(api.GET('/api/v1/investigations/{id}', path)), [investigationId]);
  const countries = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/production-countries', path)),
    [investigationId],
  );
  const categories = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/categories', path)),
    [investigationId],
  );
  const exportToRecovery = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/export-to-recovery', path)),
    [investigationId],
  );
  const craft = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/craft-clusters', path)),
    [investigationId],
  );
  const workshops = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/analysis/production-sites-over-time', {
          params: { path: { id: investigationId }, query: { granularity } },
        }),
      ),
    [investigationId, granularity],
  );
  const openRequests = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/analysis/open-trace-requests', path)),
    [investigationId],
  );
  // The report is written from the same catalogue as the app, in the reader's language.
  const reportUrl = `/api/v1/investigations/${investigationId}/report.html?lang=${locale}`;

  return (
    <div className="page analysis">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>
            {investigation.data === undefined ? t('nav.overview') : <UserText text={investigation.data.title} />}
          </Link>
        </p>
        <h1>{t('analysis.title')}</h1>
        <p className="lead">{t('analysis.intro')}</p>
        <div className="actions">
          <a className="button button-primary" href={reportUrl} target="_blank" rel="noopener">
            {t('analysis.openReport')}
          </a>
        </div>
        <nav aria-label={t('analysis.contents')}>
          <ul className="toc">
            <li>
              <a href="#countries">{t('analysis.countriesTitle')}</a>
            </li>
            <li>
              <a href="#categories">{t('analysis.categoriesTitle')}</a>
            </li>
            <li>
              <a href="#export-to-recovery">{t('analysis.exportToRecoveryTitle')}</a>
            </li>
            <li>
              <a href="#craft">{t('analysis.craftTitle')}</a>
            </li>
            <li>
              <a href="#workshops">{t('analysis.workshopsTitle')}</a>
            </li>
            <li>
              <a href="#trace-requests">{t('analysis.traceRequestsTitle')}</a>
            </li>
          </ul>
        </nav>
      </header>

      <LoadedSection
        className="section analysis-section"
        id="countries"
        title={t('analysis.countriesTitle')}
        intro={t('analysis.countriesIntro')}
        loaded={countries}
      >
        {(data) => <ProductionCountriesChart data={data} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="categories"
        title={t('analysis.categoriesTitle')}
        loaded={categories}
      >
        {(data) => <CategoriesChart data={data} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="export-to-recovery"
        title={t('analysis.exportToRecoveryTitle')}
        intro={t('analysis.exportToRecoveryIntro')}
        loaded={exportToRecovery}
      >
        {(data) => <ExportToRecoveryChart data={data} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="craft"
        title={t('analysis.craftTitle')}
        intro={t('analysis.craftIntro')}
        loaded={craft}
      >
        {(data) => <CraftClustersChart data={data} investigationId={investigationId} />}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="workshops"
        title={t('analysis.workshopsTitle')}
        loaded={workshops}
      >
        {(data) => (
          <>
            <label className="inline-select">
              <span>{t('analysis.granularity')}</span>
              <select value={granularity} onChange={(event) => setGranularity(event.target.value as 'month' | 'year')}>
                <option value="year">{t('analysis.byYear')}</option>
                <option value="month">{t('analysis.byMonth')}</option>
              </select>
            </label>
            <ProductionSitesChart data={data} />
          </>
        )}
      </LoadedSection>
      <LoadedSection
        className="section analysis-section"
        id="trace-requests"
        title={t('analysis.traceRequestsTitle')}
        intro={t('analysis.traceRequestsIntro')}
        loaded={openRequests}
      >
        {(data) => <OpenTraceRequestsChart data={data} />}
      </LoadedSection>
    </div>
  );
}
