// A form's save bar sticks to the bottom of the screen (`.form-actions`, position: sticky). A control reached with
// Tab just above the bottom edge is scrolled into view by the browser, but it can end up behind that bar: the
// keyboard user then types into a field they cannot see. This scrolls it clear of the bar, when the focus arrives
// and again whenever the page's layout changes under a control that keeps the focus (matches of the marking being
// typed arrive after a Tab and push the controls below them down behind the bar).

const gapPx = 8;

/** Scrolls `target` up when its form's sticky save bar covers it. */
function clearOfSaveBar(target: HTMLElement): void {
  const bar = target.closest('form')?.querySelector<HTMLElement>('.form-actions');
  if (bar === null || bar === undefined || bar.contains(target)) return;
  const barTop = bar.getBoundingClientRect().top;
  const rect = target.getBoundingClientRect();
  // Only a bar floating over the page covers anything: at its own place it is below every control of its form.
  if (rect.bottom > barTop && rect.top < bar.getBoundingClientRect().bottom)
    window.scrollBy({ top: rect.bottom - barTop + gapPx, behavior: 'instant' });
}

/**
 * Keeps the focused control clear of its form's sticky save bar, for the whole document. Returns the function
 * that stops it.
 *
 * @example
 * useEffect(() => keepFocusAboveSaveBar(document), []);
 */
export function keepFocusAboveSaveBar(root: Document): () => void {
  const onFocusIn = (event: FocusEvent) => {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    clearOfSaveBar(target);
    // And again after the browser's own scrolling into view, which may come once the focus has moved.
    requestAnimationFrame(() => {
      if (root.activeElement === target) clearOfSaveBar(target);
    });
  };
  root.addEventListener('focusin', onFocusIn);
  // Resize observations are delivered after layout and before paint: the control is moved before anyone sees it
  // covered.
  const onLayoutChange = () => {
    const focused = root.activeElement;
    if (focused instanceof HTMLElement && focused !== root.body) clearOfSaveBar(focused);
  };
  const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(onLayoutChange);
  observer?.observe(root.body);
  return () => {
    root.removeEventListener('focusin', onFocusIn);
    observer?.disconnect();
  };
}
