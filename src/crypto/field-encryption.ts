import type { Executor } from '../db/database.js';
import { createFieldCipher, type FieldCipher } from './field-cipher.js';
import { createKeyring, type Keyring } from './keyring.js';
import { loadMasterKeys, masterKeyFiles } from './master-key.js';

/**
 * The keyring (master key from ENCRYPTION_KEY_FILE, or DATA_DIR/keys/master.key made on first
 * start when that is unset) and the field cipher over it. Scripts that only seal fields (the
 * seed) use it without the rest of the app's dependencies.
 */
export function createFieldEncryption(
  config: { DATA_DIR: string; ENCRYPTION_KEY_FILE?: string | undefined },
  db: Executor,
): { keyring: Keyring; fields: FieldCipher } {
  const keyFiles = masterKeyFiles(config);
  const keyring = createKeyring(
    db,
    loadMasterKeys(keyFiles, { create: config.ENCRYPTION_KEY_FILE === undefined }),
    // A key rotated in while this process runs (npm run keys:rotate) is read when first needed.
    () => loadMasterKeys(keyFiles, { create: false }),
  );
  return { keyring, fields: createFieldCipher(keyring) };
}
