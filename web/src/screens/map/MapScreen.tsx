import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { useRecordAccess } from '../../components/useRecordAccess';
import { coordinateText, readAxis, type LocationDraft } from '../../components/coordinateField';
import { ErrorNotice, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { gridCluster } from '../../map/cluster';
import { loadCountriesLayer } from '../../map/basemap';
import { savedTileUrl } from '../../map/tileSetting';
import { Link, paths, useLocation } from '../../router';

import { clusterCellPixels, clusterIcon, draftIcon, latLngOf, siteIcon } from './icons';
import { CraftLayerPanel, LocatedSitesList, SiteTypeLegend } from './MapPanels';
import { NewSiteForm } from './NewSiteForm';

export default function MapPage({ investigationId }: { investigationId: string }) {
  const { t, label, formatNumber } = useI18n();
  useDocumentTitle(t('map.title'));
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const siteLayerRef = useRef<L.LayerGroup | null>(null);
  const draftMarkerRef = useRef<L.Marker | null>(null);
  const fittedRef = useRef(false);
  const [zoom, setZoom] = useState(2);
  const [basemapError, setBasemapError] = useState<unknown>(undefined);
  const [draft, setDraft] = useState<LocationDraft | undefined>(undefined);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<string | undefined>(undefined);
  // The new-site form is gone once saved: the focus goes to the way to the new site instead of being lost.
  const createdRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (created !== undefined) createdRef.current?.querySelector('a')?.focus();
  }, [created]);
  const { query } = useLocation();
  const mayChange = useRecordAccess(investigationId);
  // The selected site's record: who created it decides whether an investigator may correct it.
  const selectedRecord = useLoad(
    () =>
      selectedId === undefined
        ? Promise.resolve(undefined)
        : call(api.GET('/api/v1/sites/{id}', { params: { path: { id: selectedId } } })),
    [selectedId],
  );
  const [showCraft, setShowCraft] = useState(query.get('layer') === 'craft');
  const craftLayerRef = useRef<L.LayerGroup | null>(null);

  const features = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/sites.geojson', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const craft = useLoad(
    () =>
      showCraft
        ? call(
            api.GET('/api/v1/investigations/{id}/analysis/craft-clusters', {
              params: { path: { id: investigationId } },
            }),
          )
        : Promise.resolve(undefined),
    [investigationId, showCraft],
  );

  // The map itself: created once per page, with the bundled basemap and the optional tile layer.
  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const map = L.map(container, { worldCopyJump: true, minZoom: 1, maxZoom: 18 }).setView([20, 0], 2);
    map.attributionControl.setPrefix(false);
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    const tileUrl = savedTileUrl();
    if (tileUrl !== '') L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
    else {
      loadCountriesLayer().then(
        (layer) => {
          if (mapRef.current === map) layer.addTo(map).bringToBack();
        },
        (error: unknown) => setBasemapError(error),
      );
    }
    craftLayerRef.current = L.layerGroup().addTo(map);
    siteLayerRef.current = L.layerGroup().addTo(map);
    map.on('zoomend', () => setZoom(map.getZoom()));
    map.on('click', (event: L.LeafletMouseEvent) => {
      const point = event.latlng.wrap();
      setCreated(undefined);
      // A click is the user choosing a point; the precision typed so far stays.
      setDraft((previous) => ({
        precision: previous?.precision ?? '',
        pair: '',
        latitude: coordinateText(point.lat),
        longitude: coordinateText(point.lng),
      }));
    });
    mapRef.current = map;
    return () => {
      mapRef.current = null;
      map.remove();
    };
  }, [investigationId]);

  // The attribution follows the language.
  useEffect(() => {
    const control = mapRef.current?.attributionControl;
    if (control === undefined) return;
    const text = t('map.attribution');
    control.addAttribution(text);
    return () => {
      control.removeAttribution(text);
    };
  }, [t]);

  // Zoom to the investigation's extent once its sites are known.
  useEffect(() => {
    const map = mapRef.current;
    if (map === null || features.data === undefined || fittedRef.current) return;
    fittedRef.current = true;
    const located = features.data.features;
    if (located.length === 0) return;
    const bounds = L.latLngBounds(located.map(latLngOf));
    map.fitBounds(bounds.pad(0.25), { maxZoom: 13 });
  }, [features.data]);

  // Site markers, clustered on a pixel grid at the current zoom.
  useEffect(() => {
    const map = mapRef.current;
    const layer = siteLayerRef.current;
    if (map === null || layer === null) return;
    layer.clearLayers();
    const located = features.data?.features ?? [];
    const points = located.map((site) => {
      const pixel = map.project(latLngOf(site), zoom);
      return { x: pixel.x, y: pixel.y, value: site };
    });
    for (const cluster of gridCluster(points, clusterCellPixels)) {
      const position = map.unproject([cluster.x, cluster.y], zoom);
      if (cluster.members.length === 1) {
        const site = cluster.members[0]!;
        L.marker(latLngOf(site), {
          icon: siteIcon(site.properties.site_type, site.id === selectedId),
          title: `${site.properties.name} (${label('siteType', site.properties.site_type)})`,
          alt: site.properties.name,
          keyboard: true,
          riseOnHover: true,
        })
          .on('click', () => setSelectedId(site.id))
          .addTo(layer);
      } else {
        const bounds = L.latLngBounds(cluster.members.map(latLngOf));
        const text = formatNumber(cluster.members.length);
        L.marker(position, {
          icon: clusterIcon(cluster.members.length, text),
          title: t('map.cluster', { count: cluster.members.length }),
          keyboard: true,
        })
          .on('click', () => map.fitBounds(bounds.pad(0.5), { maxZoom: Math.min(map.getMaxZoom(), zoom + 4) }))
          .addTo(layer);
      }
    }
  }, [features.data, zoom, selectedId, label, formatNumber, t]);

  // Craft production: a circle per site, its area in proportion to the craft items found there.
  useEffect(() => {
    const layer = craftLayerRef.current;
    if (layer === null) return;
    layer.clearLayers();
    if (!showCraft || craft.data === undefined) return;
    for (const site of craft.data.sites) {
      if (site.latitude === null || site.longitude === null || site.craft_items === 0) continue;
      L.circleMarker([site.latitude, site.longitude], {
        radius: 6 + 4 * Math.sqrt(site.craft_items),
        color: '#4a235a',
        weight: 2,
        fillColor: '#7d3c98',
        fillOpacity: 0.35,
        interactive: true,
        className: 'craft-circle',
      })
        .bindTooltip(`${site.name}: ${t('map.craftItems', { count: site.craft_items })}`, { direction: 'top' })
        .addTo(layer);
    }
  }, [craft.data, showCraft, t]);

  const drafting = draft !== undefined;
  const draftLatitude = draft?.latitude ?? '';
  const draftLongitude = draft?.longitude ?? '';
  // The marker of the site being placed; it can be dragged to correct the position.
  useEffect(() => {
    const map = mapRef.current;
    draftMarkerRef.current?.remove();
    draftMarkerRef.current = null;
    if (map === null || !drafting) return;
    const latitude = readAxis(draftLatitude, 'latitude');
    const longitude = readAxis(draftLongitude, 'longitude');
    if (latitude.state !== 'read' || longitude.state !== 'read') return;
    const marker = L.marker([latitude.value, longitude.value], {
      icon: draftIcon(),
      draggable: true,
      title: t('map.newSite'),
    });
    marker.on('dragend', () => {
      const point = marker.getLatLng().wrap();
      setDraft((previous) => ({
        precision: previous?.precision ?? '',
        pair: '',
        latitude: coordinateText(point.lat),
        longitude: coordinateText(point.lng),
      }));
    });
    marker.addTo(map);
    draftMarkerRef.current = marker;
    // A point typed, pasted or taken from the device may lie outside the view: show it.
    if (!map.getBounds().contains(marker.getLatLng())) map.panTo(marker.getLatLng());
  }, [drafting, draftLatitude, draftLongitude, t]);

  const located = features.data?.features ?? [];
  const selected = located.find((site) => site.id === selectedId);

  return (
    <div className="map-page">
      <div className="map-column">
        <h1 className="visually-hidden-mobile">{t('map.title')}</h1>
        <p className="muted map-hint">{t('map.clickToAdd')}</p>
        <div ref={containerRef} className="map" dir="ltr" role="region" aria-label={t('map.label')} data-testid="map" />
        {basemapError !== undefined && <ErrorNotice error={basemapError} />}
      </div>
      <aside className="map-side" aria-label={t('map.sidePanel')}>
        {created !== undefined && (
          <div ref={createdRef} className="notice notice-success" role="status">
            <p>
              {t('map.created')} <Link to={paths.site(investigationId, created)}>{t('map.openSite')}</Link>
            </p>
          </div>
        )}
        {draft === undefined ? (
          <button
            type="button"
            onClick={() => {
              // No coordinates are filled in: the map centre is a button in the form, not a value.
              setCreated(undefined);
              setDraft({ latitude: '', longitude: '', precision: '' });
            }}
          >
            {t('map.newSiteByCoordinates')}
          </button>
        ) : (
          <NewSiteForm
            investigationId={investigationId}
            draft={draft}
            onDraftChange={setDraft}
            onUseMapCentre={() => {
              const center = mapRef.current?.getCenter().wrap();
              if (center === undefined) return;
              setDraft((previous) => ({
                precision: previous?.precision ?? '',
                pair: '',
                latitude: coordinateText(center.lat),
                longitude: coordinateText(center.lng),
              }));
            }}
            onCancel={() => setDraft(undefined)}
            onCreated={(siteId) => {
              setDraft(undefined);
              setCreated(siteId);
              setSelectedId(siteId);
              features.reload();
            }}
          />
        )}
        {selected !== undefined && (
          <section className="card" aria-labelledby="selected-site-title">
            <h2 id="selected-site-title">
              <UserText text={selected.properties.name} />
            </h2>
            <p className="muted">{label('siteType', selected.properties.site_type)}</p>
            <div className="actions">
              <Link className="button" to={paths.site(investigationId, selected.id)}>
                {t('map.openSite')}
              </Link>
              {selectedRecord.data?.id === selected.id && mayChange(selectedRecord.data) && (
                <Link to={`${paths.site(investigationId, selected.id)}?correct=location`}>{t('location.correct')}</Link>
              )}
              {selectedRecord.data?.id === selected.id && mayChange(selectedRecord.data) && (
                <Link to={`${paths.site(investigationId, selected.id)}?edit=site`}>{t('edit.site.button')}</Link>
              )}
            </div>
          </section>
        )}
        <CraftLayerPanel investigationId={investigationId} show={showCraft} onShowChange={setShowCraft} craft={craft} />
        <SiteTypeLegend />
        <LocatedSitesList investigationId={investigationId} located={located} features={features} />
      </aside>
    </div>
  );
}
