/** MEMORY_* settings (src/config.ts reads them from the environment). */
export interface MemorySettings {
  /** MEMORY=on: memory applies to users who never chose. */
  defaultOn: boolean;
  maxEntries: number;
  ttlMs: number;
  maxTokens: number;
}
