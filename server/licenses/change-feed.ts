// The one publish function every outcome goes through, after its transaction commits.
// Listeners (metrics, logs, GraphQL subscriptions) attach here, so a distributed
// pubsub can replace the in-process one without touching the domain.
import type { LicenseChange } from './types.ts';

export type ChangeListener = (change: LicenseChange) => void;

export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();

  listen(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A failing listener must not undo or hide a committed change from the others. */
  publish = (change: LicenseChange): void => {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  };
}
