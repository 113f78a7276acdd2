// The Pothos schema builder every type file registers with.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import { GraphQLError, Kind, print } from 'graphql';
import type { GraphQLContext } from './context.ts';
import { DATE_FORMAT_HINT, parseIsoDate } from '../licenses/dates.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { DateTime: { Input: Date; Output: Date | string } };
  DefaultFieldNullability: false;
}>({
  // Result unions from the domain's error classes (errors.ts).
  plugins: [ErrorsPlugin],
  // Fields are non-null unless a file says otherwise: clients need not null-check
  // what the server always returns.
  defaultFieldNullability: false,
});

/** A wrong DateTime is the client's mistake, every time: a GraphQLError with a code (a
 *  TypeError would be masked as "Unexpected error.", and graphql-jit's compiled variable
 *  coercion turns it into a 500 on every repeat of the operation). */
function dateTimeFrom(value: unknown): Date {
  const date = typeof value === 'string' ? parseIsoDate(value) : null;
  if (!date) {
    throw new GraphQLError(`DateTime must be ${DATE_FORMAT_HINT}; got ${JSON.stringify(value)?.slice(0, 60) ?? String(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'ISO-8601 timestamp in UTC (a date alone means its midnight UTC); years 1970–9999, real calendar days',
  // Payloads that crossed a pubsub as JSON arrive as strings already.
  serialize: (value) => (typeof value === 'string' ? value : value.toISOString()),
  parseValue: dateTimeFrom,
  // Only a string literal is a date: numbers and enums are refused, not read as years.
  parseLiteral: (ast) => dateTimeFrom(ast.kind === Kind.STRING ? ast.value : print(ast)),
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
