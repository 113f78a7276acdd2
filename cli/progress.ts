// What `--wait` is waiting for, on stderr (stdout belongs to the command): one line per
// change, or one line kept up to date in place when stderr is a terminal.

export class Progress {
  private last: string | undefined;
  private live = false;
  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  /** Shows `floatline: <text>` if the text changed. */
  show(text: string): void {
    if (text === this.last) return;
    this.last = text;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2Kfloatline: ${text}`);
      this.live = true;
    } else this.out.write(`floatline: ${text}\n`);
  }

  /** Ends the live line (if any) with a final message. */
  done(message?: string): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.live = false;
    if (message) this.out.write(`floatline: ${message}\n`);
  }
}

/** The queue position of a native pool's ticket. */
export class QueueProgress extends Progress {
  constructor(
    private readonly tool: string,
    out?: NodeJS.WriteStream,
  ) {
    super(out);
  }

  position(position: number | null): void {
    this.show(`${this.tool} is full; waiting in the queue, position ${position ?? '?'}`);
  }
}
