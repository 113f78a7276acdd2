import { mount } from 'svelte';
import App from './app.svelte';
import './app.css';
import { createGraphqlConnection } from './lib/graphql-client';
import { installErrorReporter } from './lib/error-reporter';
import { LiveState } from './lib/live-state.svelte';
import { Router } from './lib/router.svelte';
import { UserName } from './lib/user-name.svelte';
import { Session } from './lib/session.svelte';

const { client, connection } = createGraphqlConnection();
// Installed before the first render so errors while mounting are reported too.
installErrorReporter(client);

const live = new LiveState(client, connection);
// Required mode without a session: only the sign-in page, no API calls (they would be 401).
const session = await Session.load();
if (session.canRead) live.start();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

mount(App, {
  target,
  props: { client, connection, live, router: new Router(), user: new UserName(), session },
});
