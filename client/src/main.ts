import { mount } from 'svelte';
import App from './app.svelte';
import './app.css';
import { createGraphqlConnection } from './lib/graphql-client';
import { captureEarlyErrors, installErrorReporter } from './lib/error-reporter';
import { LiveState } from './lib/live-state.svelte';
import { Router } from './lib/router.svelte';
import { UserName } from './lib/user-name.svelte';
import { Session } from './lib/session.svelte';

// Errors while the page starts are kept and reported once the reporter can send.
const early = captureEarlyErrors();

// Who is here decides what the page does: required mode without a session shows only the
// sign-in page and opens no WebSocket (every API call would be 401).
const session = await Session.load();
const { client, connection } = createGraphqlConnection(new URL(window.location.href), {
  lazy: !session.canRead,
  // A signed-in page whose WebSocket is refused: if the session really ended, reload to the
  // sign-in page (never while signed out, which would reload for ever, nor while signing out,
  // which navigates on its own).
  onRefused: () => {
    if (!session.signedIn || session.signingOut) return;
    void fetch('/auth/me', { credentials: 'same-origin' }).then((r) => {
      if (r.status === 401) window.location.reload();
    });
  },
});
// Installed before the first render so errors while mounting are reported too.
installErrorReporter(client, early);

const live = new LiveState(client, connection);
if (session.canRead) live.start();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

mount(App, {
  target,
  props: { client, connection, live, router: new Router(), user: new UserName(), session },
});
