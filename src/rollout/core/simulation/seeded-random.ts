/** A source of uniform numbers in [0, 1), injected wherever the simulation needs chance. */
export type RandomSource = () => number;

/**
 * A seeded generator: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator, passes PractRand), its state
 * filled from the seed by splitmix32 so that nearby seeds give unrelated streams. The same seed always gives
 * the same sequence, so simulation figures are reproducible.
 */
export function createSeededRandom(seed: number): RandomSource {
  let splitState = seed >>> 0;
  const splitmix32 = () => {
    splitState = (splitState + 0x9e3779b9) >>> 0;
    let z = splitState;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}
