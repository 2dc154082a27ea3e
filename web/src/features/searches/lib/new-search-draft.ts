import { useEffect, useState } from 'react';
import type { SearchSettingsValue } from './search-settings-value';

/** What the New search page holds until Search is pressed: kept across reloads in this browser. */
export interface NewSearchDraft {
  caseId: string | null;
  mode: 'new' | 'existing';
  videoIds: string[];
  liveFeeds: { id: string; title: string }[];
  settings: SearchSettingsValue;
}

const storageKey = (userId: string) => `mpf.new-search-draft.${userId}`;

function load(userId: string): Partial<NewSearchDraft> {
  try {
    const text = window.localStorage.getItem(storageKey(userId));
    return text ? (JSON.parse(text) as Partial<NewSearchDraft>) : {};
  } catch {
    return {};
  }
}

/** Opens the New search page on `draft` next time (a "search again" of a finished search). */
export function saveNewSearchDraft(userId: string, draft: NewSearchDraft): void {
  try {
    window.localStorage.setItem(storageKey(userId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the page opens on the case alone.
  }
}

/**
 * The draft of one user's new search, saved to local storage on every change (so a reload or a
 * visit to another page loses nothing) and dropped by `clear` once the search has started.
 */
export function useNewSearchDraft(userId: string, initial: NewSearchDraft) {
  const [draft, setDraft] = useState<NewSearchDraft>(() => {
    const saved = load(userId);
    // A case chosen in the address (a case page's "Search for this person") wins over the draft.
    return initial.caseId
      ? { ...initial, ...saved, caseId: initial.caseId, mode: initial.mode }
      : { ...initial, ...saved };
  });
  const [saving, setSaving] = useState(true);

  useEffect(() => {
    if (!saving) return;
    try {
      window.localStorage.setItem(storageKey(userId), JSON.stringify(draft));
    } catch {
      // Storage full or disabled: the draft lives in memory only.
    }
  }, [draft, saving, userId]);

  const update = (
    patch: Partial<NewSearchDraft> | ((old: NewSearchDraft) => Partial<NewSearchDraft>),
  ) => setDraft((old) => ({ ...old, ...(typeof patch === 'function' ? patch(old) : patch) }));
  const clear = () => {
    setSaving(false);
    window.localStorage.removeItem(storageKey(userId));
  };
  return { draft, update, clear };
}
