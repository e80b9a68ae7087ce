import { useState } from 'react';
import { fieldErrorMessage } from '../api/fieldErrors';
import type { I18n, MessageKey } from '../i18n/i18n';
import { isolate, useI18n } from '../i18n/i18n';
import {
  coordinateText,
  formatDegrees,
  geolocationProblem,
  hemisphereOf,
  precisionFromAccuracy,
  readAxis,
  readLocation,
  readPair,
  readPrecision,
  type Axis,
  type GeolocationProblem,
  type LocationDraft,
  type LocationFieldName,
  type LocationProblem,
  type LocationProblemCode,
} from './coordinateField';
import { Field } from './ui';

// The form's own wording where it says more than the field message (an example to copy); every other code
// reads as the server's field problem of the same code would.
const problemMessages: Partial<Record<LocationProblemCode, MessageKey>> = {
  coordinate_unreadable: 'location.problem.coordinateUnreadable',
  coordinate_pair_incomplete: 'location.problem.coordinatePairIncomplete',
  precision_unreadable: 'location.problem.precisionUnreadable',
};

const geolocationMessages: Record<GeolocationProblem, MessageKey> = {
  denied: 'location.geoDenied',
  unavailable: 'location.geoUnavailable',
  timeout: 'location.geoTimeout',
  unsupported: 'location.geoUnsupported',
};

const hemisphereMessages: Record<'N' | 'S' | 'E' | 'W', MessageKey> = {
  N: 'location.north',
  S: 'location.south',
  E: 'location.east',
  W: 'location.west',
};

/** A location problem in the user's language. */
export function locationProblemMessage(t: I18n['t'], problem: LocationProblem): string {
  const key = problemMessages[problem.code];
  if (key !== undefined) return t(key, problem.params);
  return fieldErrorMessage(t, {
    field: '',
    message: '',
    code: problem.code,
    ...(problem.params ? { params: problem.params } : {}),
  });
}

/** A coordinate in decimal degrees with its hemisphere, e.g. "36.351111° N". */
export function degreesText(t: I18n['t'], value: number, axis: Axis): string {
  // The number runs left to right inside a sentence that may run right to left.
  return t(hemisphereMessages[hemisphereOf(value, axis)], { value: isolate(`${formatDegrees(value)}°`) });
}

/** What the fields of a location say before saving: a problem to show on each field, from a save attempt. */
export type LocationProblems = Partial<Record<LocationFieldName, LocationProblem>>;

/**
 * The latitude, longitude and precision of a site as typed, each read through the shared parser as the user types
 * ("= 36.351111° N" or the problem, on that field), with a field for a pasted pair, and buttons that fill the
 * point from the map centre or the device's location. Nothing is filled in unless the user asks.
 */
export function LocationFields({
  draft,
  onChange,
  serverErrors,
  attempted,
  onUseMapCentre,
}: {
  draft: LocationDraft;
  onChange: (draft: LocationDraft) => void;
  /** Field errors the server returned, by the API's field names. */
  serverErrors: { latitude?: string | undefined; longitude?: string | undefined; precision_m?: string | undefined };
  /** After a refused save: problems that only matter when saving (one axis without the other) are shown too. */
  attempted: boolean;
  onUseMapCentre?: (() => void) | undefined;
}) {
  const { t } = useI18n();
  const pair = draft.pair ?? '';
  const [locating, setLocating] = useState<'idle' | 'busy' | GeolocationProblem | { accuracy: number }>('idle');
  const onSave = attempted ? readLocation(draft) : undefined;
  const pairReading = readPair(pair);
  const saveProblems: LocationProblems = onSave !== undefined && !onSave.ok ? onSave.problems : {};

  const axisField = (axis: Axis) => {
    const reading = readAxis(draft[axis], axis);
    const problem = reading.state === 'problem' ? reading : saveProblems[axis];
    const error = serverErrors[axis] ?? (problem === undefined ? undefined : locationProblemMessage(t, problem));
    return (
      <Field label={t(axis === 'latitude' ? 'site.latitude' : 'site.longitude')} error={error}>
        {(control) => (
          <>
            <input
              {...control}
              dir="ltr"
              inputMode="text"
              autoComplete="off"
              spellCheck={false}
              value={draft[axis]}
              onChange={(event) =>
                // A readable pair has been copied into the fields: editing them supersedes it. An unreadable one stays.
                onChange({ ...draft, [axis]: event.target.value, pair: pairReading.state === 'read' ? '' : pair })
              }
            />
            {reading.state === 'read' && (
              <p className="coordinate-reading" data-testid={`${axis}-reading`}>
                {degreesText(t, reading.value, axis)}
              </p>
            )}
          </>
        )}
      </Field>
    );
  };

  const precisionReading = readPrecision(draft.precision);
  const precisionProblem = precisionReading.state === 'problem' ? precisionReading : saveProblems.precision;

  const useMyLocation = () => {
    if (!('geolocation' in navigator)) {
      setLocating('unsupported');
      return;
    }
    setLocating('busy');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const accuracy = precisionFromAccuracy(position.coords.accuracy);
        setLocating({ accuracy });
        onChange({
          latitude: coordinateText(position.coords.latitude),
          longitude: coordinateText(position.coords.longitude),
          precision: String(accuracy),
          pair: '',
        });
      },
      (error) => setLocating(geolocationProblem(error.code)),
      { enableHighAccuracy: true, timeout: 30_000, maximumAge: 0 },
    );
  };

  return (
    <div className="location-fields" role="group" aria-label={t('site.coordinates')}>
      <Field
        label={t('location.pair')}
        hint={t('location.pairHint')}
        error={pairReading.state === 'problem' ? locationProblemMessage(t, pairReading) : undefined}
      >
        {(control) => (
          <>
            <input
              {...control}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              value={pair}
              onChange={(event) => {
                const text = event.target.value;
                const reading = readPair(text);
                // A readable pair fills both fields with what will be sent; the fields show it back.
                onChange(
                  reading.state === 'read'
                    ? {
                        ...draft,
                        pair: text,
                        latitude: coordinateText(reading.latitude),
                        longitude: coordinateText(reading.longitude),
                      }
                    : { ...draft, pair: text },
                );
              }}
            />
            {pairReading.state === 'read' && (
              <p className="coordinate-reading">
                {degreesText(t, pairReading.latitude, 'latitude')} ·{' '}
                {degreesText(t, pairReading.longitude, 'longitude')}
              </p>
            )}
          </>
        )}
      </Field>
      <div className="field-row">
        {axisField('latitude')}
        {axisField('longitude')}
      </div>
      <p className="field-hint">{t('location.axisHint')}</p>
      <div className="actions location-actions">
        <button type="button" onClick={useMyLocation} disabled={locating === 'busy'}>
          {t('location.useMyLocation')}
        </button>
        {onUseMapCentre !== undefined && (
          <button type="button" onClick={onUseMapCentre}>
            {t('location.useMapCentre')}
          </button>
        )}
      </div>
      <div aria-live="polite" className="location-status">
        {locating === 'busy' && <p className="muted">{t('location.locating')}</p>}
        {typeof locating === 'object' && (
          <p className="notice notice-success">{t('location.located', { metres: locating.accuracy })}</p>
        )}
        {typeof locating === 'string' && locating !== 'idle' && locating !== 'busy' && (
          <p className="notice notice-warning">{t(geolocationMessages[locating])}</p>
        )}
      </div>
      <Field
        label={t('site.precision')}
        error={
          serverErrors.precision_m ??
          (precisionProblem === undefined ? undefined : locationProblemMessage(t, precisionProblem))
        }
      >
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="decimal"
            dir="ltr"
            autoComplete="off"
            value={draft.precision}
            onChange={(event) => onChange({ ...draft, precision: event.target.value })}
          />
        )}
      </Field>
    </div>
  );
}
