// What the live (WebSocket) connection is doing, for the header indicator and for
// reloading state after a reconnect.

export type LinkState = 'connecting' | 'live' | 'down';

export class ConnectionState {
  state = $state<LinkState>('connecting');
  /** Consecutive failed attempts since the link was last live. */
  retries = $state(0);
  /** When the next attempt is due (ms epoch), so the indicator can count down. */
  nextAttemptAt = $state<number | null>(null);
  private hasBeenLive = false;
  private liveListeners = new Set<(firstTime: boolean) => void>();

  markConnecting(): void {
    if (this.state !== 'down') this.state = 'connecting';
  }

  markLive(): void {
    if (this.state === 'live') return;
    const firstTime = !this.hasBeenLive;
    this.state = 'live';
    this.retries = 0;
    this.nextAttemptAt = null;
    this.hasBeenLive = true;
    // Events sent while we were away are lost: whoever holds state reloads it.
    for (const listener of this.liveListeners) listener(firstTime);
  }

  markDown(): void {
    this.state = 'down';
  }

  scheduleRetry(delayMs: number): void {
    this.retries += 1;
    this.nextAttemptAt = Date.now() + delayMs;
  }

  /** Called on every (re)connection; `firstTime` is true only for the first one. */
  onLive(listener: (firstTime: boolean) => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }
}
