// What every resolver receives.
import type { Licenses } from '../licenses/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { LiveUpdates } from './live-updates.ts';

export type Transport = 'http' | 'sse' | 'ws';

export interface GraphQLContext {
  licenses: Licenses;
  live: LiveUpdates;
  log: Logger;
  version: string;
  transport: Transport;
}
