// Helpers for the offline modules' tests (Node, fake-indexeddb): not part of the app bundle.
import 'fake-indexeddb/auto';
import { v4 } from 'uuid';
import { openOfflineDatabase } from './database';
import { Vault } from './vault';

/** A vault on a fresh IndexedDB database of its own. */
export function testVault(name: string = `test-${v4()}`): Vault {
  return new Vault(() => openOfflineDatabase(name));
}

/** Every byte IndexedDB holds for a database, as text (to check no record text can be read there). */
export async function rawDatabaseText(vault: Vault): Promise<string> {
  const db = await vault.database();
  const parts: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const describe = (value: unknown): void => {
    if (value instanceof ArrayBuffer) parts.push(decoder.decode(value));
    else if (ArrayBuffer.isView(value)) parts.push(decoder.decode(value));
    else if (Array.isArray(value)) value.forEach(describe);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(describe);
    else parts.push(String(value));
  };
  for (const storeName of ['vault', 'device', 'outbox', 'cache'] as const) describe(await db.getAll(storeName));
  return parts.join('\n');
}
