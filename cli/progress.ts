// The queue position while `--wait` waits, on stderr (stdout belongs to the command): one
// line per change, or one line kept up to date in place when stderr is a terminal.

export class QueueProgress {
  private last: number | null | undefined;
  private live = false;
  constructor(
    private readonly tool: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Shows the position if it changed. */
  position(position: number | null): void {
    if (position === this.last) return;
    this.last = position;
    const text = `floatline: ${this.tool} is full; waiting in the queue, position ${position ?? '?'}`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${text}`);
      this.live = true;
    } else this.out.write(`${text}\n`);
  }

  /** Ends the live line (if any) with a final message. */
  done(message?: string): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.live = false;
    if (message) this.out.write(`floatline: ${message}\n`);
  }
}
