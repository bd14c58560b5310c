// The official MCP TypeScript SDK client, driven by the .NET tests of Genie's MCP server.
// Usage: node genie-client.mjs '<spec json>'
//   spec: { transport: "http", url, token? } | { transport: "stdio", command, args, env }
//         plus calls: [{ name, arguments }]
// Prints one JSON line: { tools: [{ name, description, inputSchema }], results: [{ name, isError, text }] }
// or { connectError } when the server refused the connection.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const spec = JSON.parse(process.argv[2]);
const transport = spec.transport === 'stdio'
  ? new StdioClientTransport({ command: spec.command, args: spec.args ?? [], env: { ...process.env, ...(spec.env ?? {}) }, stderr: 'pipe' })
  : new StreamableHTTPClientTransport(new URL(spec.url), {
      requestInit: { headers: spec.token === undefined ? {} : { Authorization: `Bearer ${spec.token}` } },
    });
let stderr = '';
if (spec.transport === 'stdio') transport.stderr?.on('data', chunk => { stderr += chunk; });

const client = new Client({ name: 'genie-tests', version: '1.0.0' });
try {
  await client.connect(transport);
} catch (error) {
  console.log(JSON.stringify({ connectError: String(error?.message ?? error), code: error?.code ?? null, stderr }));
  process.exit(0);
}
const { tools } = await client.listTools();
const results = [];
for (const call of spec.calls ?? []) {
  const result = await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
  results.push({
    name: call.name,
    isError: result.isError === true,
    text: (result.content ?? []).filter(c => c.type === 'text').map(c => c.text).join('\n'),
  });
}
console.log(JSON.stringify({ tools: tools.map(t => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema })), results }));
await client.close();
