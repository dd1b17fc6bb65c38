/** The part of des.js (1.1.0, untyped) this package uses: DES and EDE (3DES) in CBC and ECB mode without padding. */
declare module 'des.js' {
  interface DesJsCipher {
    update(data: ArrayLike<number>): number[];
    final(data?: ArrayLike<number>): number[];
  }
  interface DesJsOptions {
    type: 'encrypt' | 'decrypt';
    key: ArrayLike<number>;
    iv: ArrayLike<number>;
    padding: false;
  }
  interface DesJsMode {
    create(options: DesJsOptions): DesJsCipher;
  }
  interface DesJsBlockCipher {
    readonly __desJsBlockCipher: true;
    /** ECB: each `final(block)` decrypts or encrypts one block with the key schedule made here. */
    create(options: { type: 'encrypt' | 'decrypt'; key: ArrayLike<number>; padding: false }): DesJsCipher;
  }
  const desJs: {
    DES: DesJsBlockCipher;
    EDE: DesJsBlockCipher;
    CBC: { instantiate(base: DesJsBlockCipher): DesJsMode };
  };
  export default desJs;
}
