import { checkedKeysJson, checkedKeyTable } from '../lib/key-files-contract';

/**
 * Arbitrary text as both key file formats (`parseKeysJson`, `parseWiresharkKeyTable`): neither throws, every
 * diagnostic lies inside the text at the line and column of its offset, every parsed IKE SA is well-formed (8-byte
 * cookies, 1 to 64-byte keys, known algorithm names, one-block IV) and a decryptor can be made from it, and nothing
 * is dropped silently (each table line gives a key or an error; each JSON entry an IKE SA or an error).
 */
const utf8 = new TextDecoder('utf-8');

export function fuzz(data: Uint8Array): void {
  const text = utf8.decode(data);
  checkedKeysJson(text);
  checkedKeyTable(text);
}
