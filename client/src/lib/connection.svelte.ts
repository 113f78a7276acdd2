// What the live (WebSocket) connection is doing, for the header indicator and for
// reloading state after a reconnect.

export type LinkState = 'connecting' | 'live' | 'down';

export class ConnectionState {
  state = $state<LinkState>('connecting');
  /** Consecutive failed attempts since the link was last live. */
  retries = $state(0);
  /** When the next attempt is due (ms epoch), so the indicator can count down. */
  nextAttemptAt = $state<number | null>(null);
  private liveListeners = new Set<() => void>();

  markConnecting(): void {
    if (this.state !== 'down') this.state = 'connecting';
  }

  markLive(): void {
    if (this.state === 'live') return;
    this.state = 'live';
    this.retries = 0;
    this.nextAttemptAt = null;
    // Events sent while we were away are lost: whoever holds state reloads it.
    for (const listener of this.liveListeners) listener();
  }

  markDown(): void {
    this.state = 'down';
  }

  scheduleRetry(delayMs: number): void {
    this.retries += 1;
    this.nextAttemptAt = Date.now() + delayMs;
  }

  /** Called on every connection, the first one and each reconnection. */
  onLive(listener: () => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }
}
