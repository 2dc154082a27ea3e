import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM: 32-byte keys, 12-byte nonces, 16-byte tags. */
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** A fresh random key (a data key or a master key). */
export const newKey = (): Buffer => randomBytes(KEY_BYTES);

/** Encrypts `plaintext` under `key` with a fixed `nonce`; returns ciphertext followed by its tag. */
export function sealWithNonce(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The inverse of `sealWithNonce`; throws when the bytes, the nonce or the context were altered. */
export function openWithNonce(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < TAG_BYTES) throw new Error('Sealed data is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
    decipher.final(),
  ]);
}

/**
 * Encrypts a small value (a data key, a field) with a random nonce: nonce ‖ ciphertext ‖ tag.
 * `context` is authenticated, so a value sealed for one case cannot be pasted into another.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  return Buffer.concat([nonce, sealWithNonce(key, nonce, plaintext, Buffer.from(context))]);
}

/** The inverse of `seal`. */
export function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  const nonce = sealed.subarray(0, NONCE_BYTES);
  return openWithNonce(key, nonce, sealed.subarray(NONCE_BYTES), Buffer.from(context));
}
