// A mistake the person at the command line can fix (a bad flag, an unknown event): the CLI prints its
// message on one line and exits 2, without a stack trace.
export class CommandError extends Error {
  override name = 'CommandError';
}
