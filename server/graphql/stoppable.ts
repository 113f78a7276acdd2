// An async generator cannot be ended while it waits on an `await`: return() is queued until
// its next `yield`. A subscription that awaits timers between values (followTicket renews a
// queue ticket while nothing changes) would thus outlive its client, renewing forever when
// the transport calls return() on disconnect. Here the generator is handed a `stopped`
// promise to race its waits against, and return()/throw() settle it first.

/** Wraps a generator so that return() and throw() reach it even mid-await. */
export function stoppable<T>(start: (stopped: Promise<void>) => AsyncGenerator<T>): AsyncGenerator<T> {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const inner = start(stopped);
  const wrapper: AsyncGenerator<T> = {
    next: (...args) => inner.next(...args),
    return: (value) => {
      stop();
      return inner.return(value);
    },
    throw: (err) => {
      stop();
      return inner.throw(err);
    },
    [Symbol.asyncIterator]: () => wrapper,
  };
  return wrapper;
}
