/** Block size in bytes of the CBC ciphers IKEv1 peers use (DES/3DES 8, AES 16), by Oakley encryption algorithm number. */
export const blockSizeOfAlgorithm: Readonly<Record<number, number>> = { 1: 8, 5: 8, 7: 16 };
