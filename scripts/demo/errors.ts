/**
 * An error that stops the demo at once, whatever step it happens in: the demo cannot show the product
 * truthfully past it (a function called an operation the simulation does not answer, or hung). The
 * Distributed Map emulation lets it through instead of recording a failed batch.
 */
export class DemoAbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoAbortError';
  }
}
