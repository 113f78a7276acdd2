// A subscription to one tool must name a tool that exists: otherwise it would stay open
// and never hear anything (a tool an admin creates later can be subscribed to from then on).
import { GraphQLError } from 'graphql';
import { ToolNotFoundError } from '../licenses/index.ts';
import type { GraphQLContext } from './context.ts';

export async function requireKnownTool(ctx: GraphQLContext, tool: string | null | undefined): Promise<void> {
  if (tool == null) return;
  try {
    await ctx.licenses.pool(tool);
  } catch (err) {
    if (err instanceof ToolNotFoundError) {
      throw new GraphQLError(`Tool not found: ${tool}`, { extensions: { code: 'TOOL_NOT_FOUND', tool } });
    }
    throw err;
  }
}
