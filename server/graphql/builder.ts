// The Pothos schema builder every type file registers with.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { GraphQLContext } from './context.ts';

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

builder.scalarType('DateTime', {
  description: 'ISO-8601 timestamp in UTC',
  // Payloads that crossed a pubsub as JSON arrive as strings already.
  serialize: (value) => (typeof value === 'string' ? value : value.toISOString()),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 timestamp');
    return date;
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
