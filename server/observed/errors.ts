// The observed domain's refusals. Each carries the HTTP status the REST error handler
// answers with (a 4xx naming what was wrong); GraphQL shows the message.
import { InvalidInputError } from '../licenses/errors.ts';

export class ObservedSourceNotFoundError extends Error {
  readonly statusCode = 404;
  constructor(readonly name: string) {
    super(`Observed source not found: ${name.slice(0, 100)}`);
  }
}

export class ObservedSourceExistsError extends Error {
  readonly statusCode = 409;
  constructor(readonly name: string) {
    super(`An observed source named ${name} already exists`);
  }
}

export class TooManySourcesError extends Error {
  readonly statusCode = 409;
  constructor(limit: number) {
    super(`At most ${limit} observed sources can be registered; delete one first`);
  }
}

/** A field of an observed-source request that breaks a rule: a 422 naming it. */
export const invalidField = (field: string, message: string, type = 'value_error') => new InvalidInputError(field, type, message);

/** An observed pool (`<source>/<feature>`) a request named that is not known, or has no price. */
export class ObservedPoolNotFoundError extends Error {
  readonly statusCode = 404;
  constructor(
    readonly tool: string,
    why: string,
  ) {
    super(`Observed pool ${tool.slice(0, 200)} ${why}`);
  }
}
