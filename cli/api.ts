// The REST shapes the CLI sends and reads, taken from the server's OpenAPI document through
// the types openapi-typescript generates from it (api-schema.ts; npm run openapi:print):
// never a hand-written copy, so a change on the server that the CLI does not follow fails
// type-checking, and the test suite fails when the generated file is stale.
import type { components, operations } from './api-schema.ts';

export type OperationId = keyof operations;

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body an operation takes. */
export type RequestBody<O extends OperationId> = operations[O] extends { requestBody: infer R } ? JsonOf<R> : never;

/** The JSON body of an operation's answer with the given status. */
export type ResponseBody<O extends OperationId, S extends number> = operations[O]['responses'] extends infer R
  ? S extends keyof R
    ? JsonOf<R[S]>
    : never
  : never;

/** Any of an operation's success bodies (2xx). */
export type SuccessBody<O extends OperationId> = ResponseBody<O, 200 | 201 | 202>;

export type BorrowJson = ResponseBody<'borrowLicense', 200>;
export type TicketJson = ResponseBody<'getTicket', 200>;
export type LeaseJson = ResponseBody<'renewLease', 200>;
export type PoolStatusJson = components['schemas']['PoolStatus'];
export type ObservedPoolJson = ResponseBody<'listObservedPools', 200>['pools'][number];
export type ObservedSourceJson = ResponseBody<'listObservedSources', 200>['sources'][number];
export type SnapshotOutcomeJson = ResponseBody<'pushObservedSnapshot', 200>;
export type LogOutcomeJson = ResponseBody<'pushObservedLog', 200>;
