/**
 * A long CPU loop (a file chunk's validation) gives the event loop a turn every `tous` items: the
 * database's answers to the chunk being written are handled at once instead of after the loop, so the
 * validation of the next chunks fills the write's round trips rather than delaying them.
 */
export function cederSiBesoin(i: number, tous = 50): Promise<void> | undefined {
  return i % tous === tous - 1 ? new Promise((fin) => setImmediate(fin)) : undefined;
}
