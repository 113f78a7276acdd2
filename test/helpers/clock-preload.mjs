// Loaded with `node --import` into a server process a test starts with `clock` (server.ts):
// the process's wall clock (Date.now(), new Date()) reads the instant written in the file
// named by FLOATLINE_TEST_CLOCK_FILE, so a test can play a month of borrows and returns at
// known times. Production code has no clock door: this file is only ever loaded by tests.
// An empty or missing file means real time. Timers (setTimeout) are untouched.
import { readFileSync } from 'node:fs';

const file = process.env.FLOATLINE_TEST_CLOCK_FILE;
if (!file) throw new Error('clock-preload.mjs needs FLOATLINE_TEST_CLOCK_FILE');
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);

function controlledNow() {
  let text = '';
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return realNow();
  }
  if (!text) return realNow();
  const t = RealDate.parse(text);
  if (Number.isNaN(t)) throw new Error(`test clock file holds no time: ${text}`);
  return t;
}

class ControlledDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(controlledNow());
    else super(...args);
  }
  static now() {
    return controlledNow();
  }
}
globalThis.Date = ControlledDate;
