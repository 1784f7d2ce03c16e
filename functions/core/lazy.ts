/**
 * A dependency given ready-made (tests) or made on first use (handlers). A client that only some paths
 * need (the quarantine queue, the re-check scheduler) is loaded and created by the first call that needs
 * it, not at init: its module is not evaluated on a cold start that never uses it.
 */
export type Lazy<T extends object> = T | (() => Promise<T>);

/** Memoize an async factory: the first call creates, every later call gets the same promise. */
export function onFirstUse<T extends object>(create: () => Promise<T>): () => Promise<T> {
  let created: Promise<T> | undefined;
  return () => {
    created ??= create().catch((error: unknown) => {
      created = undefined; // a failed load is retried by the next call, not cached
      throw error;
    });
    return created;
  };
}

/** The dependency itself, creating it if it is lazy. */
export async function resolveLazy<T extends object>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? value() : value;
}
