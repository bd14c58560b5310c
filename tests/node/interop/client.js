// A @grpc/grpc-js client for the interop tests: calls a Genie server at argv[2] (host:port) with the
// bearer token in GENIE_TOKEN and prints one JSON line per case: {"case", "ok", ...result or code/details}.
'use strict';
const { grpc, EchoService, Health } = require('./protos').load();

const address = process.argv[2];
const token = process.env.GENIE_TOKEN;
if (!address || !token) {
  process.stderr.write('usage: GENIE_TOKEN=<jwt> node client.js <host:port>\n');
  process.exit(2);
}

const NonAsciiMessage = 'Échec: ünïcødé — 日本語 ✓ 🚀 100% #1';

const echo = new EchoService(address, grpc.credentials.createInsecure());
const health = new Health(address, grpc.credentials.createInsecure());

function authorized(extra) {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  for (const [key, value] of Object.entries(extra ?? {})) md.set(key, value);
  return md;
}

function seconds(n) {
  return { deadline: Date.now() + n * 1000 };
}

function failure(err) {
  const metadata = {};
  for (const [key, value] of Object.entries(err.metadata ? err.metadata.getMap() : {})) metadata[key] = String(value);
  return { ok: false, code: err.code, details: err.details, metadata };
}

function unary(client, method, request, metadata, options) {
  return new Promise((resolve) => {
    client[method](request, metadata, options, (err, response) =>
      resolve(err ? failure(err) : { ok: true, response }));
  });
}

function serverStream(client, method, request, metadata, options) {
  return new Promise((resolve) => {
    const responses = [];
    const call = client[method](request, metadata, options);
    call.on('data', (m) => responses.push(m));
    call.on('error', (err) => resolve({ ...failure(err), responses }));
    call.on('end', () => resolve({ ok: true, responses }));
  });
}

const cases = {
  unary: () => unary(echo, 'Echo', { text: 'hello from grpc-js' }, authorized({ 'x-test': 'abc-123' }), seconds(10)),
  unauthenticated: () => unary(echo, 'Echo', { text: 'no token' }, new grpc.Metadata(), seconds(10)),
  forbidden: () => unary(echo, 'AdminOnly', { text: 'not an admin' }, authorized(), seconds(10)),
  stream: () => serverStream(echo, 'Stream', { text: 'item', count: 20 }, authorized(), seconds(10)),
  // 2 s: long enough for the request to reach the server even on a loaded machine, so its cancellation is observable.
  deadline: () => unary(echo, 'Slow', { delay_ms: 30000 }, authorized(), { deadline: Date.now() + 2000 }),
  error: () => unary(echo, 'Fail', { text: NonAsciiMessage, status_code: grpc.status.FAILED_PRECONDITION }, authorized(), seconds(10)),
  health: () => unary(health, 'Check', { service: '' }, new grpc.Metadata(), seconds(10)),
};

(async () => {
  const only = process.argv.slice(3);
  for (const [name, run] of Object.entries(cases)) {
    if (only.length > 0 && !only.includes(name)) continue;
    let result;
    try {
      result = await run();
    } catch (e) {
      result = { ok: false, code: -1, details: `client threw: ${e && e.stack ? e.stack : e}` };
    }
    process.stdout.write(JSON.stringify({ case: name, ...result }) + '\n');
  }
  echo.close();
  health.close();
})();
