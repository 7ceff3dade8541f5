/**
 * Thrown when the command line cannot be used as given (an option's value, two options that do not
 * go together, an output folder that cannot be written). The CLI prints the message and exits 2,
 * before reading any input.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
