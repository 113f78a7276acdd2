// The ceiling: a bare Node http server answering a fixed JSON body, nothing else.
// Same runtime, same machine, same load generator as Floatline's rows.
import { createServer } from 'node:http';

const body = JSON.stringify({ tool: 'cad_tool', total: 5, borrowed: 0, available: 5 });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ event: 'server_listening', port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
