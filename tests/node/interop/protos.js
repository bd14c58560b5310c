// Loads the protos the .NET side compiles, so both peers agree on the exact same contracts.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const echoProto = path.join(repoRoot, 'tests', 'Genie.ServiceDefaults.Tests', 'Grpc', 'Protos', 'echo.proto');
const healthProto = path.join(repoRoot, 'protos', 'grpc', 'health', 'v1', 'health.proto');

const options = { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true };

function load() {
  const definition = protoLoader.loadSync([echoProto, healthProto], options);
  const loaded = grpc.loadPackageDefinition(definition);
  return {
    grpc,
    EchoService: loaded.genie.test.v1.EchoService,
    Health: loaded.grpc.health.v1.Health,
  };
}

module.exports = { load };
