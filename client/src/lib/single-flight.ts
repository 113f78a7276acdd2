// One load at a time: a call while a load runs asks for one more load after it, however many
// calls come meanwhile, so the last answer is never older than the last call — and a busy
// feed never stacks up requests (the teams and costs pages read again on pushed changes).
export function singleFlight(load: () => Promise<void>): () => Promise<void> {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await load();
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      await run();
    }
  };
  return run;
}
