/**
 * Runs tasks one at a time per key, in the order they arrive, and drops a key when its last task
 * ends.
 */
export class KeyedMutex {
  readonly #tails: Map<string, Promise<void>> = new Map();

  /** Runs `task` after every earlier task of the same key has settled. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => release = resolve);
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);

    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.#tails.get(key) === tail) {
        this.#tails.delete(key);
      }
    }
  }
}
