import L from 'leaflet';
import { siteTypeColours } from '../../api/vocabulary';
import { type SiteType } from '../../api/client';

// GeoJSON positions are [longitude, latitude]; Leaflet wants [latitude, longitude].
export const latLngOf = (site: { geometry: { coordinates: readonly number[] } }): L.LatLngTuple => [
  site.geometry.coordinates[1]!,
  site.geometry.coordinates[0]!,
];

export const clusterCellPixels = 44;

export function siteIcon(type: SiteType, selected: boolean): L.DivIcon {
  const dot = document.createElement('span');
  dot.className = `site-dot${selected ? ' site-dot-selected' : ''}`;
  dot.style.background = siteTypeColours[type];
  return L.divIcon({ html: dot, className: 'site-marker', iconSize: [18, 18], iconAnchor: [9, 9] });
}

export function clusterIcon(count: number, text: string): L.DivIcon {
  const bubble = document.createElement('span');
  bubble.className = 'cluster-bubble';
  bubble.textContent = text;
  const size = count < 10 ? 30 : count < 100 ? 36 : 44;
  return L.divIcon({
    html: bubble,
    className: 'cluster-marker',
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

export function draftIcon(): L.DivIcon {
  const cross = document.createElement('span');
  cross.className = 'draft-dot';
  return L.divIcon({ html: cross, className: 'site-marker', iconSize: [22, 22], iconAnchor: [11, 11] });
}
