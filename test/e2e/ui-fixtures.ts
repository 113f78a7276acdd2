// A server with something on every page, for the layout and theme tests: two teams with
// shares of cad_tool, seats held now (one beyond commit), a morning of borrows earlier in the
// billing period (so the costs page has statements and a chart), and one job waiting in line.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { TestClock } from '../helpers/clock';
import { type InProcessServer, startInProcess } from '../helpers/in-process';
import { postJson, putJson } from '../helpers/server';

/** The fixture's server: in this process (Chromium reaches it over a socket), on a clock it moves. */
export type FilledServer = InProcessServer & { clock: TestClock };

export const ADMIN_TOKEN = 'ui-fixture-admin-token-0123456789';

/** Every page of the dashboard, with what proves it rendered its data. */
export const DASHBOARD_PAGES = [
  { path: '/', ready: '[data-testid="borrows-table"]' },
  { path: '/config', ready: '[data-testid="budget-form"]' },
  { path: '/shares', ready: '[data-testid="share-row"]' },
  { path: '/costs', ready: '[data-testid="statement-line"]' },
  { path: '/tokens', ready: '[data-testid="token-row"]' },
] as const;

async function borrow(server: { url: string }, tool: string, user: string, extra: Record<string, unknown> = {}, headers = {}) {
  const r = await postJson(`${server.url}/licenses/borrow`, { tool, user, ...extra }, { headers });
  expect([200, 202], r.text).toContain(r.status);
  return r.json as { id: string };
}

/** Fills `server` (on a TestClock, and FLOATLINE_ADMIN_TOKEN when required). */
export async function fillWithData(server: FilledServer, headers: Record<string, string> = {}): Promise<void> {
  const send = { headers };
  for (const [team, users] of [
    ['powertrain', ['alice', 'admin']],
    ['chassis', ['bob']],
  ] as const) {
    expect((await postJson(`${server.url}/teams`, { name: team }, send)).status).toBe(201);
    expect((await putJson(`${server.url}/teams/${team}/members`, { users }, send)).status).toBe(200);
  }
  const shares = {
    shares: [
      { team: 'powertrain', reserved: 1, max: 4 },
      { team: 'chassis', reserved: 1, max: 4 },
    ],
  };
  expect((await putJson(`${server.url}/config/tools/cad_tool/shares`, shares, send)).status).toBe(200);
  server.clock.set('2026-03-10T08:00:00Z');
  const morning = [
    await borrow(server, 'cad_tool', 'alice', {}, headers),
    await borrow(server, 'cad_tool', 'bob', {}, headers),
    await borrow(server, 'simulation', 'carol-from-the-very-long-named-contractor', {}, headers),
  ];
  server.clock.set('2026-03-10T11:00:00Z');
  for (const b of morning) expect((await postJson(`${server.url}/licenses/return`, { id: b.id }, send)).status).toBe(200);
  server.clock.set('2026-03-20T09:00:00Z');
  // Held now: cad_tool full (5 of 5, the fifth beyond commit), and one job waiting for it.
  for (const user of ['alice', 'alice', 'bob', 'bob', 'carol'])
    await borrow(server, 'cad_tool', user, { host: 'ws-042.cad.example.com' }, headers);
  await borrow(server, 'analysis', 'dora', {}, headers);
  await borrow(server, 'cad_tool', 'erin', { queue: true }, headers);
  server.clock.set('2026-03-20T12:00:00Z');
  const admin = { headers: { ...headers, authorization: `Bearer ${ADMIN_TOKEN}` } };
  if (headers.authorization) {
    for (const name of ['laptop', 'ci-nightly-build-runner'])
      expect((await postJson(`${server.url}/auth/tokens`, { name }, admin)).status).toBe(201);
  }
}

/** A required-mode server (the admin token signs the browser in) holding the fixture's data. */
export async function startFilledServer(): Promise<FilledServer> {
  const clock = new TestClock();
  const started = await startInProcess({ listen: true, clock, env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
  const server = Object.assign(started, { clock });
  await fillWithData(server, { authorization: `Bearer ${ADMIN_TOKEN}` });
  return server;
}

/** The page's widest point beyond the viewport, and what sticks out there (for the message). */
export async function overflow(page: Page): Promise<{ scrollWidth: number; widest: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const widest = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, widest };
  });
}
