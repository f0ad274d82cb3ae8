/**
 * Web Storage that never throws: storage can be disabled (privacy settings, some private modes), and
 * the chat must still work then, just without remembering anything.
 */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function safeStorage(pick: () => Storage): SafeStorage {
  return {
    get: (key) => {
      try {
        return pick().getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        pick().setItem(key, value);
      } catch {
        // Not remembered; acceptable.
      }
    },
    remove: (key) => {
      try {
        pick().removeItem(key);
      } catch {
        // Nothing to forget.
      }
    },
  };
}

export const local = safeStorage(() => window.localStorage);
export const session = safeStorage(() => window.sessionStorage);
