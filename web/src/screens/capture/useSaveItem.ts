import { useState } from 'react';
import { api, call, type NewItem, type UploadedMedia } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { linkPhotoOrQueue, saveOrQueue } from '../../offline/save';
import { navigate, paths } from '../../router';
import { likeThis, type CaptureState } from './carryOver';
import { toRequestBody } from './captureRequest';
import { sensitivityCreateFields } from '../../components/sensitivity/sensitivityDraft';
import type { CaptureDraft } from './useCaptureDraft';

/** Sends a new item with its markings. One function, so the offline outbox can wrap it. */
async function saveItem(investigationId: string, body: NewItem, label: string) {
  // Kept on the device (encrypted) when the server cannot be reached; the photos follow it.
  const { record } = await saveOrQueue({
    type: 'item.create',
    investigationId,
    body,
    label,
    rest: () =>
      call(api.POST('/api/v1/investigations/{id}/items', { params: { path: { id: investigationId } }, body })),
  });
  return record;
}

/** An item saved while the form stayed open. */
export interface SavedItem {
  id: string;
  label: string;
}

interface SaveOptions {
  investigationId: string;
  siteId: string;
  form: CaptureDraft;
  /** Called with the next item's form after "Save and add another": where the focus goes. */
  onNextItem: (next: CaptureState) => void;
}

/**
 * Saving the item (online, or into the outbox) and linking the photos uploaded while it was described; "Save"
 * opens the saved item, "Save and add another" starts the next one like this one.
 *
 * @example
 * const saving = useSaveItem({ investigationId, siteId, form, onNextItem });
 * <button onClick={() => void saving.save(true)} disabled={saving.busy}>…</button>
 */
export function useSaveItem({ investigationId, siteId, form, onNextItem }: SaveOptions) {
  const { label } = useI18n();
  const [error, setError] = useState<unknown>(undefined);
  const [errorMarkingKeys, setErrorMarkingKeys] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedItem[]>([]);
  const [photos, setPhotos] = useState<UploadedMedia[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [photoUploadKey, setPhotoUploadKey] = useState(0);
  const [waitingForPhotos, setWaitingForPhotos] = useState(false);
  const [linkError, setLinkError] = useState<{ error: unknown; item: SavedItem } | undefined>(undefined);

  /** Links the photos uploaded while the item was described; they were sent before it had an id. */
  const linkPhotos = async (itemId: string, itemLabel: string) => {
    for (const photo of photos) {
      const photoLabel = (photo as { original_filename?: string | null }).original_filename ?? itemLabel;
      await linkPhotoOrQueue(photo, itemId, investigationId, photoLabel, () =>
        call(api.POST('/api/v1/media/{id}/links', { params: { path: { id: photo.id } }, body: { item_id: itemId } })),
      );
    }
  };

  const save = async (andAnother: boolean) => {
    if (busy) return;
    if (photosBusy) {
      setWaitingForPhotos(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    setLinkError(undefined);
    setWaitingForPhotos(false);
    form.setCategoryCleared(false);
    const request = toRequestBody(siteId, form.draft);
    if ('quantityUnreadable' in request) {
      form.setQuantityUnreadable(true);
      setBusy(false);
      return;
    }
    // Left out for the investigation's default (the server fills it in); restricted needs its reason.
    const sensitivity = sensitivityCreateFields(form.sensitivity);
    if (!sensitivity.ok) {
      form.setSensitivityReasonMissing(true);
      setBusy(false);
      return;
    }
    // The markings recorded with the item take the level chosen for it (a marking names the item it is on).
    const body: NewItem = {
      ...request.body,
      ...sensitivity.fields,
      markings: request.body.markings?.map((marking) => ({ ...marking, ...sensitivity.fields })),
    };
    const { markingKeys } = request;
    setErrorMarkingKeys(markingKeys);
    try {
      const item = await saveItem(
        investigationId,
        body,
        [label('category', body.category), body.model, body.markings?.[0]?.text].filter(Boolean).join(' · '),
      );
      const itemLabel = [label('category', item.category), item.model, item.markings[0]?.text]
        .filter((part) => part !== null && part !== undefined)
        .join(' · ');
      let photosLinked = true;
      try {
        await linkPhotos(item.id, itemLabel);
      } catch (caught) {
        // The item is saved, only its photos are not attached: stay, say so, and start the next item.
        photosLinked = false;
        setLinkError({ error: caught, item: { id: item.id, label: itemLabel } });
      }
      setPhotos([]);
      setPhotoUploadKey((key) => key + 1);
      if (!andAnother && photosLinked) {
        navigate(paths.item(investigationId, item.id));
        return;
      }
      setSaved((previous) => [{ id: item.id, label: itemLabel }, ...previous]);
      const next = likeThis(form.draft);
      form.setCapture(next);
      onNextItem(next);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const onPhotoUploaded = (media: UploadedMedia) => setPhotos((previous) => [...previous, media]);
  const onPhotosBusyChange = (uploading: boolean) => {
    setPhotosBusy(uploading);
    if (!uploading) setWaitingForPhotos(false);
  };

  return {
    save,
    busy,
    error,
    errorMarkingKeys,
    saved,
    linkError,
    waitingForPhotos,
    photoUploadKey,
    onPhotoUploaded,
    onPhotosBusyChange,
  };
}

export type SaveItemState = ReturnType<typeof useSaveItem>;
