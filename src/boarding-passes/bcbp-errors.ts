/** A BCBP string that does not follow Resolution 792; says where and in which item it went wrong. */
export class BcbpFormatError extends Error {
  override readonly name = 'BcbpFormatError';

  constructor(
    message: string,
    /** 0-based index into the BCBP string. */
    readonly position: number,
    /** The standard's name of the item, e.g. 'Date of Flight (Julian Date)'. */
    readonly item: string,
  ) {
    super(`${message} (item "${item}" at position ${position})`);
  }
}

/** Boarding pass data the encoder cannot write; `field` is the path in BoardingPassData, e.g. legs[0].seat. */
export class BcbpInputError extends Error {
  override readonly name: string = 'BcbpInputError';

  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A name with nothing left after transliteration: the caller must supply a Latin-script spelling. */
export class BcbpTransliterationError extends BcbpInputError {
  override readonly name = 'BcbpTransliterationError';
}
