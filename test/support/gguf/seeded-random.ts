export { SeededRandom } from "../../../src/statistics/seeded-random.js";

/** Mixes a base seed with a name (FNV-1a) so each tensor gets its own stream regardless of write order. */
export function deriveSeed(seed: number, name: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash;
}
