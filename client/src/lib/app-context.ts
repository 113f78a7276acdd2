// The objects every component shares, handed down through Svelte context.
import { getContext, setContext } from 'svelte';
import type { Client } from '@urql/svelte';
import type { ConnectionState } from './connection.svelte';
import type { LiveState } from './live-state.svelte';
import type { Router } from './router.svelte';
import type { UserName } from './user-name.svelte';
import type { Session } from './session.svelte';

export interface AppContext {
  client: Client;
  connection: ConnectionState;
  live: LiveState;
  router: Router;
  user: UserName;
  session: Session;
}

const KEY = Symbol('floatline');

export function setAppContext(context: AppContext): void {
  setContext(KEY, context);
}

export function appContext(): AppContext {
  const context = getContext<AppContext | undefined>(KEY);
  if (!context) throw new Error('appContext() called outside <App>');
  return context;
}
