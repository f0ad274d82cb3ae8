/**
 * Versioned hashes from a string key to [0, 1). A hash version is frozen once shipped: changing how a version
 * maps keys would silently move users between arms of running experiments, so a new algorithm gets a new number.
 */

/** The hash versions this build understands. */
export const hashVersions = [1] as const;

/** A hash version number, recorded with every experiment. */
export type HashVersion = (typeof hashVersions)[number];

/** The newest version: new experiments use it. */
export const currentHashVersion: HashVersion = 1;

const fnvOffsetBasis = 0x811c9dc5;
const fnvPrime = 0x01000193;
const utf8 = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = fnvOffsetBasis;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, fnvPrime);
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser. FNV-1a alone mixes its last input bytes weakly into the high bits, and ids
 * such as `user-1`, `user-2` differ only at the end; the finaliser spreads every input bit over the whole word.
 */
export function murmurFinalize32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Maps `key` to a number in [0, 1) with the given hash version.
 * Version 1: murmurFinalize32(fnv1a32(key)) / 2³².
 */
export function hashToUnitInterval(key: string, hashVersion: HashVersion): number {
  switch (hashVersion) {
    case 1:
      return murmurFinalize32(fnv1a32(key)) / 2 ** 32;
  }
}
