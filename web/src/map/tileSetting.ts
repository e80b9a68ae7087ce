// The optional tile server, kept apart from Leaflet so the settings page does not load the map code.

const tileUrlKey = 'armtrace.tileUrl';

/** The optional tile URL a user set (e.g. a tile server on the local network); empty when none. */
export function savedTileUrl(): string {
  return localStorage.getItem(tileUrlKey) ?? '';
}

export function saveTileUrl(url: string): void {
  if (url.trim() === '') localStorage.removeItem(tileUrlKey);
  else localStorage.setItem(tileUrlKey, url.trim());
}

/** A tile URL must name {z}, {x} and {y} and use http(s). */
export function isValidTileUrl(url: string): boolean {
  return /^https?:\/\/\S+$/.test(url) && ['{z}', '{x}', '{y}'].every((part) => url.includes(part));
}
