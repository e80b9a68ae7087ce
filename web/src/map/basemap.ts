import L from 'leaflet';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
// Natural Earth 1:50m country boundaries, bundled with the app as a file of its own: no tiles needed.
import countriesUrl from 'world-atlas/countries-50m.json?url';

type CountriesTopology = Topology<{ countries: GeometryCollection }>;

/** Loads the bundled country boundaries as a Leaflet layer drawn below everything else. */
export async function loadCountriesLayer(): Promise<L.GeoJSON> {
  const response = await fetch(countriesUrl);
  if (!response.ok) throw new Error(`The basemap could not be loaded (${response.status}).`);
  const topology = (await response.json()) as CountriesTopology;
  const countries = feature(topology, topology.objects.countries);
  return L.geoJSON(countries, {
    interactive: false,
    style: { color: '#8d939b', weight: 0.7, fillColor: '#f3f0e8', fillOpacity: 1 },
  });
}
