/** The oaklog version, for `oaklog --version`. */
export const VERSION = '0.0.0';
