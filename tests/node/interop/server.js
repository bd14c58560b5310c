// A @grpc/grpc-js server for the interop tests and the benchmark: genie.test.v1.EchoService
// (Echo, Public, Stream, Slow, Fail; the other rpcs stay UNIMPLEMENTED) and grpc.health.v1.Health/Check.
// Listens insecure (h2c) on 127.0.0.1 at a free port and prints the port as its first stdout line;
// later lines are JSON events ({"event":"slow-cancelled"}) the tests wait for.
'use strict';
const { grpc, EchoService, Health } = require('./protos').load();

function event(name) {
  process.stdout.write(JSON.stringify({ event: name }) + '\n');
}

function metadataValue(call, key) {
  const values = call.metadata.get(key);
  return values.length > 0 ? String(values[0]) : '';
}

// The subject of the bearer JWT, like the caller our server reports; grpc-js has no auth, so it is not verified.
function callerOf(call) {
  const auth = metadataValue(call, 'authorization');
  const parts = auth.startsWith('Bearer ') ? auth.slice(7).split('.') : [];
  if (parts.length !== 3) return '';
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')).sub || '';
  } catch {
    return '';
  }
}

function reply(call, index) {
  const deadline = call.getDeadline();
  return {
    text: call.request.text,
    index,
    caller: callerOf(call),
    deadline: deadline instanceof Date ? deadline.toISOString() : (Number.isFinite(deadline) ? new Date(deadline).toISOString() : ''),
    metadata: metadataValue(call, 'x-test'),
  };
}

const echo = {
  Echo(call, callback) {
    callback(null, reply(call, 0));
  },

  Public(call, callback) {
    callback(null, reply(call, 0));
  },

  Stream(call) {
    const { count, delay_ms } = call.request;
    let index = 0;
    let timer = null;
    call.on('cancelled', () => clearTimeout(timer));
    const next = () => {
      if (call.cancelled) return;
      if (index >= count) {
        call.end();
        return;
      }
      call.write(reply(call, index++));
      if (delay_ms > 0) timer = setTimeout(next, delay_ms);
      else setImmediate(next);
    };
    next();
  },

  Slow(call, callback) {
    event('slow-started');
    const timer = setTimeout(() => callback(null, reply(call, 0)), call.request.delay_ms);
    call.on('cancelled', () => {
      clearTimeout(timer);
      event('slow-cancelled');
    });
  },

  Fail(call, callback) {
    const trailers = new grpc.Metadata();
    trailers.set('x-detail', 'failed on purpose');
    callback({ code: call.request.status_code, details: call.request.text, metadata: trailers });
  },
};

const health = {
  Check(call, callback) {
    if (call.request.service === '' || call.request.service === 'genie.test.v1.EchoService') {
      callback(null, { status: 'SERVING' });
    } else {
      callback({ code: grpc.status.NOT_FOUND, details: `Unknown service '${call.request.service}'.` });
    }
  },
};

const server = new grpc.Server();
server.addService(EchoService.service, echo);
server.addService(Health.service, health);
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    process.stderr.write(`bind failed: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});

// The parent test or benchmark closes stdin (or dies) when done: shut down then.
process.stdin.on('end', () => {
  server.forceShutdown();
  process.exit(0);
});
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
