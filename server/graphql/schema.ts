// Assembles the schema from one file per domain type.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import { describeSchema } from './descriptions.ts';
import './pool.ts';
import './borrow.ts';
import './budget.ts';
import './events.ts';
import './queue.ts';
import './teams.ts';
import './reports.ts';
import './auth.ts';
import './observed.ts';

export const schema = describeSchema(builder.toSchema());

/** The SDL committed as schema.graphql, sorted so reviews show real changes only. */
export const printedSchema = (): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
