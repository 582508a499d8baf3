// Stripe-style object ids: a prefix and 24 base62 characters. The randomness is injected so
// workflow code can pass its deterministic Math.random and the API can pass crypto.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 24;

export type RandomSource = () => number; // uniform in [0, 1)
export type IdFactory = (prefix: string) => string;

export function createIdFactory(random: RandomSource): IdFactory {
  return (prefix) => {
    let body = '';
    for (let i = 0; i < ID_LENGTH; i++) body += ALPHABET[Math.floor(random() * ALPHABET.length)];
    return `${prefix}_${body}`;
  };
}

export const ID_PATTERN = /^[a-z]+_[0-9A-Za-z]{1,64}$/;

// A reproducible random source from a string: an activity that runs a transition (and may be
// retried) mints the same ids every time for the same seed.
export function seededRandom(seed: string): RandomSource {
  let hash = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  let state = hash;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
