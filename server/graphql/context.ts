// What every resolver receives.
import type { Licenses } from '../licenses/index.ts';
import type { Observed } from '../observed/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { LiveUpdates } from './live-updates.ts';
import type { FrontendErrorGate } from '../observability/frontend-error-limits.ts';
import type { Auth, Identity } from '../auth/index.ts';

export type Transport = 'http' | 'sse' | 'ws';

export interface GraphQLContext {
  licenses: Licenses;
  /** License servers observed, not served (FlexNet, RLM). */
  observed: Observed;
  live: LiveUpdates;
  log: Logger;
  version: string;
  transport: Transport;
  /** Per-address budget for browser error reports (shared with POST /frontend-error). */
  frontendErrors: FrontendErrorGate;
  clientAddress: string | undefined;
  /** Who runs the operation (OPEN_IDENTITY in open mode); resolvers ask auth/roles.ts. */
  identity: Identity;
  auth: Auth;
}
