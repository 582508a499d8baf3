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
