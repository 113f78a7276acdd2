/** Where graphql-sse clients connect, in either of its modes (Yoga's graphql-sse plugin). */
export const GRAPHQL_SSE_ENDPOINT = '/graphql/stream';
