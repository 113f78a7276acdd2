// Turns Fastify's request-validation failures into the original's 422 shape:
// {"detail": [{loc, msg, type}, ...]}, so existing clients parse them unchanged.
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

export interface DetailItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

function location(e: FastifySchemaValidationError, context: string): (string | number)[] {
  const base = [context === 'querystring' ? 'query' : context];
  const path = (e.instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const missing = (e.params as { missingProperty?: string })?.missingProperty;
  return missing ? [...base, ...path, missing] : [...base, ...path];
}

function describe(e: FastifySchemaValidationError): { msg: string; type: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { msg: 'Field required', type: 'missing' };
    case 'type': {
      const want = String(p.type);
      if (want === 'object')
        return { msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' };
      if (want === 'integer') return { msg: 'Input should be a valid integer', type: 'int_type' };
      if (want === 'number') return { msg: 'Input should be a valid number', type: 'float_type' };
      return { msg: `Input should be a valid ${want}`, type: `${want}_type` };
    }
    case 'minLength':
      return { msg: `String should have at least ${p.limit} character${p.limit === 1 ? '' : 's'}`, type: 'string_too_short' };
    case 'maxLength':
      return { msg: `String should have at most ${p.limit} characters`, type: 'string_too_long' };
    case 'pattern':
      return {
        msg: p.pattern === '\\S' ? 'String should contain a visible character' : `String should match pattern '${p.pattern}'`,
        type: 'string_pattern_mismatch',
      };
    case 'minimum':
      return { msg: `Input should be greater than or equal to ${p.limit}`, type: 'greater_than_equal' };
    case 'maximum':
      return { msg: `Input should be less than or equal to ${p.limit}`, type: 'less_than_equal' };
    default:
      return { msg: e.message ?? 'Invalid input', type: e.keyword };
  }
}

export function toDetail(errors: FastifySchemaValidationError[], context: string): DetailItem[] {
  return errors.map((e) => ({ loc: location(e, context), ...describe(e) }));
}
