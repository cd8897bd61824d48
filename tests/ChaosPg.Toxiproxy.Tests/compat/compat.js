// Drives a Toxiproxy API (argv[2]) with toxiproxy-node-client, a client written by someone else,
// through a real TCP echo server. Prints "ok" and exits 0 when every step behaves like Toxiproxy.
"use strict";
const net = require("net");
const { Toxiproxy, ToxiproxyError } = require("toxiproxy-node-client");

const apiUrl = process.argv[2].replace(/\/$/, "");

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

function roundTrip(hostPort) {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(":")), Number(hostPort.slice(hostPort.lastIndexOf(":") + 1))];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, host, () => socket.write("ping"));
    socket.once("data", (data) => {
      socket.destroy();
      data.toString() === "ping" ? resolve(Date.now() - started) : reject(new Error(`echo was ${data}`));
    });
    socket.once("error", reject);
  });
}

async function main() {
  const echo = net.createServer((socket) => socket.pipe(socket));
  const echoPort = await listen(echo);
  const toxiproxy = new Toxiproxy(apiUrl);
  try {
    const version = await toxiproxy.getVersion();
    // This client hands back the raw body, {"version": "2.12.0"}\n.
    const reported = version.trim().startsWith("{") ? JSON.parse(version).version : version;
    check(reported === "2.12.0", `version: ${version} (exactly the real server's, so a client gating on it sees no pre-release)`);

    const proxy = await toxiproxy.createProxy({ name: "compat", listen: "127.0.0.1:0", upstream: `127.0.0.1:${echoPort}` });
    check(proxy.enabled === true && !proxy.listen.endsWith(":0"), `created: ${JSON.stringify(proxy.toJson())}`);
    check((await roundTrip(proxy.listen)) < 1000, "round trip without toxics");

    let duplicate = null;
    try {
      await toxiproxy.createProxy({ name: "compat", listen: "127.0.0.1:0", upstream: `127.0.0.1:${echoPort}` });
    } catch (error) {
      duplicate = error;
    }
    check(duplicate instanceof ToxiproxyError, "a duplicate proxy is refused");

    const toxic = await proxy.addToxic({ name: "lag", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 200, jitter: 0 } });
    check(toxic.name === "lag" && toxic.attributes.latency === 200, `toxic: ${JSON.stringify(toxic.toJson())}`);
    const slow = await roundTrip(proxy.listen);
    check(slow >= 195, `latency toxic: round trip ${slow} ms`);

    const updated = await toxic.update({ attributes: { latency: 0, jitter: 0 }, toxicity: 1 });
    check(updated.attributes.latency === 0, `updated toxic: ${JSON.stringify(updated.toJson())}`);
    check((await proxy.getToxic("lag")).attributes.latency === 0, "toxic read back");
    await toxic.remove();

    // toxiproxy-node-client's own test suite adds this slicer; Toxiproxy 2.12.0 accepts it.
    const slicer = await proxy.addToxic({ name: "slices", type: "slicer", stream: "upstream", toxicity: 1, attributes: { average_size: 1000, size_variation: 1000, delay: 1000 } });
    check(slicer.attributes.average_size === 1000 && slicer.attributes.size_variation === 1000, `slicer: ${JSON.stringify(slicer.toJson())}`);
    check((await roundTrip(proxy.listen)) < 1000, "round trip through the slicer");
    await slicer.remove();

    const all = await toxiproxy.getAll();
    check(Object.keys(all).includes("compat"), `getAll: ${Object.keys(all)}`);

    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    check(disabled.enabled === false, "disabled");
    const refused = await roundTrip(proxy.listen).then(() => false, (error) => error.code === "ECONNREFUSED");
    check(refused, "a disabled proxy refuses connections");

    await toxiproxy.reset();
    check((await toxiproxy.get("compat")).enabled === true, "reset enables proxies");
    check((await roundTrip(proxy.listen)) < 1000, "round trip after reset");

    const populated = await toxiproxy.populate([{ name: "compat2", listen: "127.0.0.1:0", upstream: `127.0.0.1:${echoPort}` }]);
    check(Object.keys(populated).includes("compat2"), `populate: ${Object.keys(populated)}`);

    for (const name of Object.keys(await toxiproxy.getAll())) {
      await (await toxiproxy.get(name)).remove();
    }
    check(Object.keys(await toxiproxy.getAll()).length === 0, "every proxy removed");
    console.log("ok");
  } finally {
    echo.close();
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
