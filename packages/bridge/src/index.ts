import { PayloadType } from '@oaklog/isakmp';

/** The View Log abbreviation of an SA payload. */
export const SA_WORD = PayloadType.SA === 1 ? 'SA' : '?';
