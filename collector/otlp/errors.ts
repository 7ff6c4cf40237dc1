// Kept apart from the decoders so the reader, both decoders and the public face share one class
// without an import cycle.

/** The request body as a whole cannot be decoded; the receiver answers 400 and the client does not retry. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
