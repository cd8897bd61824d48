using NUnit.Framework;

namespace ChaosPg.Runner.Tests.Scenarios;

/// <summary>Bad scenario files, one mistake each, with the line of the mistake marked and the message expected.</summary>
public static class BadScenarioCases
{
    private const string M = " " + ScenarioText.Marker;

    public static IEnumerable<TestCaseData> All()
    {
        // Structure and keys.
        yield return Case("unknown top-level key", ScenarioText.Build(extra: $"colour: blue{M}\n"), "unknown key 'colour' in the scenario; expected one of: name, description");
        yield return Case("unknown cluster key", ScenarioText.Build(cluster: $"  replicas: 2\n  replica: 3{M}\n"), "unknown key 'replica' in cluster; expected one of: replicas, replication");
        yield return Case("unknown expect key", ScenarioText.Build(extra: $"expect:\n  safety: valid{M}\n"), "unknown key 'safety' in expect; expected one of: durability");
        yield return Case("missing top-level key", $"name: no-duration{M}\ndescription: d\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\n", "missing key 'duration' in the scenario; expected the workload's length");
        yield return Case("duplicate key", ScenarioText.Build(cluster: $"  replicas: 2\n  replicas: 3{M}\n"), "not valid YAML: Duplicate key");
        yield return Case("tags not a list", ScenarioText.Build(extra: $"tags: release{M}\n"), "tags must be a list");
        yield return Case("duplicate tag", ScenarioText.Build(extra: $"tags:\n  - release\n  - release{M}\n"), "tag 'release' appears twice");
        yield return Case("bad name", ScenarioText.Build().Replace("name: test-scenario", $"name: Test Scenario{M}", StringComparison.Ordinal), "name 'Test Scenario' must be lower-case letters");
        yield return Case("empty description", ScenarioText.Build().Replace("description: a scenario built by a test", $"description: ''{M}", StringComparison.Ordinal), "description is empty");
        yield return Case("schedule not a list", ScenarioText.Build(extra: $"schedule: kill{M}\n"), "schedule must be a list of steps");
        yield return Case("step not a mapping", ScenarioText.Build(schedule: $"  - kill{M}\n"), "step 1 of the schedule must be a mapping with the keys at, fault, action");

        // Limits (ScenarioLimits): a hostile or runaway file fails in words, and an over-long value is not echoed back.
        yield return Case("name too long", ScenarioText.Build().Replace("name: test-scenario", $"name: {new string('a', 65)}{M}", StringComparison.Ordinal), "name has 65 characters; at most 64");
        yield return Case("description too long", ScenarioText.Build().Replace("description: a scenario built by a test", $"description: {new string('d', 2001)}{M}", StringComparison.Ordinal), "description has 2001 characters; at most 2000");
        yield return Case("tag too long", ScenarioText.Build(extra: $"tags: [{new string('t', 33)}]{M}\n"), "tag has 33 characters; at most 32");
        yield return Case("too many tags", ScenarioText.Build(extra: $"tags: [{string.Join(", ", Enumerable.Range(0, 17).Select(i => $"t{i}"))}]{M}\n"), "17 tags; at most 16");
        yield return Case("setting value too long", ScenarioText.Build(cluster: $"  replicas: 2\n  settings:\n    work_mem: {new string('9', 257)}{M}\n"), "setting name or value has more than 256 characters");
        yield return Case("nesting too deep", ScenarioText.Build(extra: $"colour: {new string('[', 40)}{new string(']', 40)}{M}\n"), "the YAML nests deeper than 16 levels");

        // Cluster.
        yield return Case("no replicas", ScenarioText.Build(cluster: $"  replicas: 0{M}\n"), "replicas 0 is out of range; expected 1 to 5");
        yield return Case("too many replicas", ScenarioText.Build(cluster: $"  replicas: 6{M}\n"), "replicas 6 is out of range; expected 1 to 5");
        yield return Case("replicas not a number", ScenarioText.Build(cluster: $"  replicas: two{M}\n"), "replicas 'two' is not a whole number");
        yield return Case("unknown replication", ScenarioText.Build(cluster: $"  replicas: 2\n  replication: semi{M}\n"), "unknown replication 'semi'; expected one of: async, sync, quorum");
        yield return Case("quorum replication without k", ScenarioText.Build(cluster: $"  replicas: 2\n  replication: quorum{M}\n"), "quorum replication needs cluster.quorum");
        yield return Case("quorum above replicas", ScenarioText.Build(cluster: $"  replicas: 2\n  replication: quorum\n  quorum: 3{M}\n"), "quorum 3 is out of range; expected 1 to replicas (2)");
        yield return Case("quorum with async", ScenarioText.Build(cluster: $"  replicas: 2\n  quorum: 1{M}\n"), "quorum applies to sync and quorum replication, not async");
        yield return Case("sync-after-promotion with async", ScenarioText.Build(cluster: $"  replicas: 2\n  sync-after-promotion: none{M}\n"), "sync-after-promotion applies to sync and quorum replication, not async");
        yield return Case("unknown sync-after-promotion", ScenarioText.Build(cluster: $"  replicas: 2\n  replication: sync\n  sync-after-promotion: everyone{M}\n"), "unknown sync-after-promotion 'everyone'; expected one of: surviving, none");
        yield return Case("unknown synchronous-commit", ScenarioText.Build(cluster: $"  replicas: 2\n  synchronous-commit: maybe{M}\n"), "synchronous-commit 'maybe' is unknown; expected one of: on, remote_apply");
        yield return Case("fsync setting", ScenarioText.Build(cluster: $"  replicas: 2\n  settings:\n    fsync: off{M}\n"), "setting 'fsync' cannot be set by a scenario: durability stays on in every node");
        yield return Case("manager not built yet (pg_auto_failover)", ScenarioText.Build(cluster: $"  replicas: 2\n  manager: pg_auto_failover{M}\n"), "manager pg_auto_failover is not available yet in this version; available: none, patroni, repmgr");
        yield return Case("unknown manager", ScenarioText.Build(cluster: $"  replicas: 2\n  manager: pacemaker{M}\n"), "manager 'pacemaker' is unknown; available: none, patroni, repmgr (pg_auto_failover: not available yet)");
        yield return Case("manager mapping without a name", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    ttl: 10s{M}\n"), "missing key 'name' in cluster.manager; expected the manager's name, e.g. name: patroni");
        yield return Case("setting of another manager", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni\n    witness: true{M}\n"), "unknown key 'witness' in cluster.manager (patroni); expected one of: name, ttl, loop-wait, retry-timeout, maximum-lag-on-failover, synchronous-mode, etcd-members");
        yield return Case("settings for no manager", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: none\n    ttl: 10s{M}\n"), "unknown key 'ttl' in cluster.manager (none); expected one of: name");
        yield return Case("patroni ttl not a duration", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni\n    ttl: ten{M}\n"), "ttl 'ten' is not a duration");
        yield return Case("patroni loop-wait not whole seconds", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni\n    loop-wait: 1500ms{M}\n"), "loop-wait 1500ms is not whole seconds; Patroni takes seconds");
        yield return Case("patroni ttl too short for its loop", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni{M}\n    ttl: 6s\n    retry-timeout: 3s\n"), "loop_wait + 2 x retry_timeout (8s) must not exceed ttl (6s)");
        yield return Case("patroni ttl below 4s", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni{M}\n    ttl: 3s\n"), "patroni ttl must be at least 4s");
        yield return Case("patroni lag not a size", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni\n    maximum-lag-on-failover: 1.5MB{M}\n"), "maximum-lag-on-failover '1.5MB' is not a size; expected a whole number of bytes, or of kB, MB or GB");
        yield return Case("patroni unknown synchronous mode", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni\n    synchronous-mode: quorum{M}\n"), "unknown synchronous-mode 'quorum'; expected one of: off, on, strict");
        yield return Case("patroni two etcd members", ScenarioText.Build(cluster: $"  replicas: 2\n  manager:\n    name: patroni{M}\n    etcd-members: 2\n"), "etcd members must be 1 or 3, got 2");
        yield return Case("unknown network", ScenarioText.Build(cluster: $"  replicas: 2\n  network: iptables{M}\n"), "network 'iptables' is unknown; available: proxy, kernel");
        yield return Case("bad setting name", ScenarioText.Build(cluster: $"  replicas: 2\n  settings:\n    Shared Buffers: 1GB{M}\n"), "setting 'Shared Buffers' is not a PostgreSQL setting name");

        // Workload and duration.
        yield return Case("unknown workload kind", ScenarioText.Build(workload: $"  kind: ledger{M}\n  writers: 2\n"), "workload kind 'ledger' is unknown; expected one of: bank, orders");
        yield return Case("no writers", ScenarioText.Build(workload: $"  kind: bank\n  writers: 0{M}\n"), "writers 0 is out of range; expected 1 to 64");
        yield return Case("negative readers", ScenarioText.Build(workload: $"  kind: bank\n  writers: 1\n  readers: -1{M}\n"), "readers -1 is out of range; expected 0 to 64");
        yield return Case("rate not a number", ScenarioText.Build(workload: $"  kind: bank\n  writers: 1\n  rate: fast{M}\n"), "rate 'fast' is not a whole number; expected operations per second or unthrottled");
        yield return Case("zero client timeout", ScenarioText.Build(workload: $"  kind: bank\n  writers: 1\n  client-timeout: 0ms{M}\n"), "client-timeout 0s must be a positive whole number of milliseconds");
        yield return Case("mix is not a workload key (writers and readers are the mix)", ScenarioText.Build(workload: $"  kind: bank\n  writers: 1\n  mix: {{transfer: 1}}{M}\n"), "unknown key 'mix' in workload; expected one of: kind, writers");
        yield return Case("bad duration", ScenarioText.Build(duration: $"20 s{M}"), "duration '20 s' is not a duration; expected a whole number followed by ms, s or m");
        yield return Case("fractional duration", ScenarioText.Build(schedule: $"  - at: 1.5s{M}\n    action: heal\n"), "at '1.5s' is not a duration");
        yield return Case("zero duration", ScenarioText.Build(duration: $"0s{M}"), "duration 0s must be whole milliseconds between 1ms and 60m");

        // Steps: names and keys.
        yield return Case("unknown fault", Step($"    fault: partiton{M}\n    target: replica1->primary\n"), "unknown fault 'partiton'; expected one of: partition, blackhole, isolate, latency");
        yield return Case("unknown action", Step($"    action: takeover{M}\n    target: replica1\n"), "unknown action 'takeover'; expected one of: promote, rejoin, heal, wait-converged, switchover, failover, maintenance");
        yield return Case("action written as a fault", Step($"    fault: promote{M}\n    target: replica1\n"), "promote is an action, not a fault; write action: promote");
        yield return Case("fault written as an action", Step($"    action: kill{M}\n    target: replica1\n"), "kill is a fault, not an action; write fault: kill");
        yield return Case("fault and action", Step($"    fault: kill\n    action: heal{M}\n    target: replica1\n"), "a step has a fault or an action, not both");
        yield return Case("neither fault nor action", ScenarioText.Build(schedule: $"  - at: 1s{M}\n    target: replica1\n"), "the step has neither fault nor action");
        yield return Case("unknown step key", Step($"    fault: kill\n    target: replica1\n    signal: 9{M}\n"), "unknown key 'signal' in step 1 of the schedule");
        yield return Case("for on restart", Step($"    fault: restart\n    target: replica1\n    for: 2s{M}\n"), "key 'for' does not apply to restart; expected only at, target");
        yield return Case("target on heal", Step($"    action: heal\n    target: primary{M}\n"), "key 'target' does not apply to heal; it takes only at");
        yield return Case("missing target", ScenarioText.Build(schedule: $"  - at: 1s{M}\n    fault: partition\n"), "missing key 'target' in step 1 of the schedule");
        yield return Case("missing latency", ScenarioText.Build(schedule: $"  - at: 1s{M}\n    fault: latency\n    target: replica1->primary\n"), "missing key 'latency' in step 1 of the schedule");
        yield return Case("missing deadline", ScenarioText.Build(schedule: $"  - at: 1s{M}\n    action: wait-converged\n"), "missing key 'deadline' in step 1 of the schedule");
        yield return Case("latency on a node", Step($"    fault: latency\n    target: replica1{M}\n    latency: 100ms\n"), "latency needs a link such as replica1->primary or client->primary; got node replica1");
        yield return Case("kill of a link", Step($"    fault: kill\n    target: replica1->primary{M}\n"), "kill needs a node such as replica1; got link replica1->primary");
        yield return Case("isolate of a link", Step($"    fault: isolate\n    target: replica1->primary{M}\n"), "isolate needs a node such as replica1; got link replica1->primary");
        yield return Case("malformed link", Step($"    fault: partition\n    target: replica1->{M}\n"), "target 'replica1->' is not a link; expected FROM->TO");
        yield return Case("jitter above latency", Step($"    fault: latency\n    target: client->primary\n    latency: 100ms\n    jitter: 300ms{M}\n"), "jitter 300ms must be whole milliseconds between 0ms and the latency 100ms");
        yield return Case("unknown direction", Step($"    fault: latency\n    target: client->primary\n    latency: 100ms\n    direction: sideways{M}\n"), "unknown direction 'sideways'; expected one of: both, upstream, downstream");
        yield return Case("loss through the proxy", Step($"    fault: loss{M}\n    target: replica1->primary\n    probability: 0.2\n"), "loss needs cluster.network: kernel; Toxiproxy relays TCP and never sees a packet to drop");
        yield return Case("loss probability of 1", Step($"    fault: loss\n    target: replica1->primary\n    probability: 1{M}\n"), "probability '1' must be a number above 0 and below 1, e.g. 0.2");
        yield return Case("loss without probability", ScenarioText.Build(schedule: $"  - at: 1s{M}\n    fault: loss\n    target: replica1->primary\n"), "missing key 'probability' in step 1 of the schedule");
        yield return Case("one-way partition through the proxy", Step($"    fault: partition\n    target: replica1->primary\n    direction: downstream{M}\n"), "a one-way partition needs cluster.network: kernel");
        yield return Case("zero bandwidth", Step($"    fault: bandwidth\n    target: client->primary\n    rate: 0{M}\n"), "rate 0 must be a positive number of KB/s");
        yield return Case("zero for", Step($"    fault: pause\n    target: replica1\n    for: 0s{M}\n"), "for 0s must be a positive whole number of milliseconds");

        // Steps: time.
        yield return Case("steps out of order", ScenarioText.Build(schedule: $"  - at: 5s\n    action: heal\n  - at: 3s{M}\n    action: heal\n"), "steps out of order: at 3s comes after a step at 5s");
        yield return Case("at beyond duration", ScenarioText.Build(schedule: $"  - at: 25s{M}\n    action: heal\n"), "at 25s is beyond the scenario duration 20s");
        yield return Case("for beyond duration", ScenarioText.Build(schedule: $"  - at: 15s\n    fault: pause\n    target: replica1\n    for: 10s{M}\n"), "the pause at 15s for 10s ends at 25s, beyond the scenario duration 20s");

        // Steps: topology.
        yield return Case("node that does not exist", Step($"    fault: kill\n    target: replica4{M}\n"), "node replica4 does not exist; expected one of: primary, replica1, replica2");
        yield return Case("link to a replica that does not exist", Step($"    fault: partition\n    target: replica3->primary{M}\n"), "link replica3->primary does not exist at this point; expected one of: client->primary, client->replica1, client->replica2, replica1->primary, replica2->primary");
        yield return Case("WAL link from the wrong upstream", Step($"    fault: partition\n    target: replica1->replica2{M}\n"), "link replica1->replica2 does not exist at this point (replica1 is a replica streaming from primary)");
        yield return Case("promote of the primary", Step($"    action: promote\n    target: primary{M}\n"), "cannot promote primary: it is the primary at 1s; expected a replica");
        yield return Case("rejoin of a replica", Step($"    action: rejoin\n    target: replica1{M}\n"), "cannot rejoin replica1: it is a replica streaming from primary at 1s; expected a deposed primary");
        yield return Case("rejoin of the current primary", Step($"    action: rejoin\n    target: primary{M}\n"), "cannot rejoin primary: it is the primary at 1s");
        yield return Case("old WAL link after promote", Steps("promote", "replica1", $"    fault: partition\n    target: replica2->primary{M}\n"), "link replica2->primary does not exist at this point (replica2 is a replica streaming from replica1)");
        yield return Case("deposed primary's WAL link before rejoin", Steps("promote", "replica1", $"    fault: partition\n    target: primary->replica1{M}\n"), "link primary->replica1 does not exist at this point (primary is a deposed primary)");
        yield return Case("promote of a killed replica", Steps("kill", "replica1", $"    action: promote\n    target: replica1{M}\n", faultFirst: true), "promote replica1 at 2s: the node is down since the kill at 1s");
        yield return Case("kill of a killed node", Steps("kill", "replica1", $"    fault: kill\n    target: replica1{M}\n", faultFirst: true), "kill replica1 at 2s: the node is down since the kill at 1s");
        yield return Case("pause of a paused node", Steps("pause", "replica1", $"    fault: pause\n    target: replica1{M}\n", faultFirst: true), "pause replica1 at 2s: the node is paused since 1s");
        yield return Case("promote of a paused node", Steps("pause", "replica1", $"    action: promote\n    target: replica1{M}\n", faultFirst: true), "promote replica1 at 2s: the node is paused since 1s");
        yield return Case("restart during a timed kill", ScenarioText.Build(schedule: "  - at: 1s\n    fault: kill\n    target: replica1\n    for: 4s\n  - at: 2s\n    fault: restart\n" + $"    target: replica1{M}\n"), "the kill at 1s restarts the node at 5s; expected this step after that");
        yield return Case("terminate-backends on a replica", Step($"    fault: terminate-backends\n    target: replica1{M}\n"), "replica1 is a replica streaming from primary at 1s; expected a primary");

        // Steps: contradictions.
        yield return Case("two partitions of one link", Steps("partition", "replica1->primary", $"    fault: partition\n    target: replica1->primary{M}\n", faultFirst: true), "overlaps the partition on replica1->primary at 1s (until the next heal)");
        yield return Case("partition inside an isolation", ScenarioText.Build(schedule: "  - at: 1s\n    fault: isolate\n    target: replica1\n    for: 5s\n  - at: 2s\n    fault: partition\n" + $"    target: replica1->primary{M}\n"), "the partition on replica1->primary at 2s overlaps the isolate on replica1 at 1s (until 6s)");
        yield return Case("blackhole inside a node partition", ScenarioText.Build(schedule: "  - at: 1s\n    fault: partition\n    target: replica1\n    for: 5s\n  - at: 2s\n    fault: blackhole\n" + $"    target: replica1->primary{M}\n"), "the blackhole on replica1->primary at 2s overlaps the partition on replica1 at 1s (until 6s)");
        yield return Case("two latencies on one link", ScenarioText.Build(schedule: "  - at: 1s\n    fault: latency\n    target: client->primary\n    latency: 50ms\n  - at: 2s\n    fault: latency\n" + $"    target: client->primary{M}\n    latency: 80ms\n"), "overlaps the latency on client->primary at 1s");
        yield return Case("wait-converged during a partition", Steps("partition", "replica1->primary", $"    action: wait-converged{M}\n    deadline: 5s\n", faultFirst: true), "wait-converged at 2s while the partition on replica1->primary at 1s (until the next heal) is still active");
        // Managed clusters: the manager's faults, actions and targets.
        yield return Case("process without a manager", Step($"    fault: kill\n    target: primary\n    process: manager{M}\n"), "process applies to a cluster an HA manager runs; set cluster.manager");
        yield return Case("unknown process", Managed($"    fault: kill\n    target: leader\n    process: postmaster{M}\n"), "unknown process 'postmaster'; expected one of: server, manager, all");
        yield return Case("process on a DCS member", Managed($"    fault: pause\n    target: dcs1\n    process: all{M}\n"), "dcs1 is one of patroni's own processes; process applies to nodes; drop it");
        yield return Case("role target without a manager", Step($"    fault: kill\n    target: leader{M}\n"), "node leader does not exist; expected one of: primary, replica1, replica2");
        yield return Case("DCS member that does not exist", Managed($"    fault: kill\n    target: dcs2{M}\n"), "dcs2 is neither a node nor one of patroni's processes; expected one of: primary, replica1, replica2, leader, replica, dcs1");
        yield return Case("timed kill of a managed server", Managed($"    fault: kill\n    target: leader\n    for: 5s{M}\n"), "a killed server is patroni's to restart, not the harness's; drop for");
        yield return Case("promote under a manager", Managed($"    action: promote{M}\n    target: replica1\n"), "the manager (patroni) promotes and rejoins; use action: failover or switchover");
        yield return Case("rejoin under a manager", Managed($"    action: rejoin{M}\n    target: primary\n"), "the manager (patroni) promotes and rejoins; use action: failover or switchover");
        yield return Case("switchover without a manager", Step($"    action: switchover{M}\n"), "switchover asks an HA manager, and this cluster has none; set cluster.manager");
        yield return Case("failover without candidate", ScenarioText.Build(cluster: Patroni, schedule: $"  - at: 1s{M}\n    action: failover\n"), "missing key 'candidate' in step 1 of the schedule; expected the node to fail over to");
        yield return Case("failover to a node that does not exist", Managed($"    action: failover\n    candidate: replica7{M}\n"), "node replica7 does not exist; expected one of: primary, replica1, replica2");
        yield return Case("maintenance without state", ScenarioText.Build(cluster: Patroni, schedule: $"  - at: 1s{M}\n    action: maintenance\n"), "missing key 'state' in step 1 of the schedule; expected on or off");
        yield return Case("unknown maintenance state", Managed($"    action: maintenance\n    state: paused{M}\n"), "unknown maintenance state 'paused'; expected one of: on, off");
        yield return Case("candidate on a fault", Managed($"    fault: kill\n    target: leader\n    candidate: replica1{M}\n"), "key 'candidate' does not apply to kill; expected only at, target, process, for");
        yield return Case("WAL link in a managed cluster", Managed($"    fault: partition\n    target: replica1->primary{M}\n"), "link replica1->primary is not a link of a patroni cluster; expected one of: client->primary, peers->primary, api->primary, primary->dcs");
        yield return Case("link of an unknown role", Managed($"    fault: partition\n    target: peers->follower{M}\n"), "or one with leader or replica in place of the node (e.g. peers->leader)");
        yield return Case("partition of a DCS member as a node", Managed($"    fault: partition\n    target: dcs1{M}\n"), "dcs1 is one of patroni's own processes, not a node with links");
        yield return Case("kill of a killed agent", ScenarioText.Build(cluster: Patroni, schedule: "  - at: 1s\n    fault: kill\n    target: replica1\n    process: manager\n  - at: 2s\n    fault: kill\n" + $"    target: replica1{M}\n"), "kill replica1 at 2s: the node is down since the kill at 1s");
        yield return Case("wait-converged during a pause", Steps("pause", "replica2", $"    action: wait-converged{M}\n    deadline: 5s\n", faultFirst: true), "while the pause on replica2 at 1s (until the next heal) is still active");

        // Expectations.
        yield return Case("unknown verdict", ScenarioText.Build(extra: $"expect:\n  durability: passes{M}\n"), "unknown verdict 'passes'; expected one of: valid, invalid, any");
        yield return Case("unknown lost-writes policy", ScenarioText.Build(extra: $"expect:\n  lost-writes: some{M}\n"), "unknown lost-writes policy 'some'; expected one of: forbidden, allowed");
        yield return Case("an rto that is not a bound", ScenarioText.Build(extra: $"expect:\n  rto: 30s{M}\n"), "rto '30s' is not a bound; expected under <duration>, e.g. under 30s");
        yield return Case("an rto bound of zero", ScenarioText.Build(extra: $"expect:\n  rto: under 0s{M}\n"), "rto 'under 0s' is not a bound; expected under <duration>");
        yield return Case("valid durability with lost writes allowed", ScenarioText.Build(extra: $"expect:\n  durability: valid{M}\n  lost-writes: allowed\n"), "durability: valid contradicts lost-writes: allowed");
        yield return Case("invalid durability with lost writes forbidden", ScenarioText.Build(extra: $"expect:\n  durability: invalid{M}\n"), "durability: invalid expects lost writes, which lost-writes: forbidden rules out");

        // YAML itself.
        yield return Case("bad indentation", ScenarioText.Build(cluster: $"  replicas: 2\n    replication: sync{M}\n"), "not valid YAML: While scanning a plain scalar value, found invalid mapping");
        yield return Case("unclosed flow sequence", $"name: x{M}\ntags: [release\nduration: 5s\n", "not valid YAML (position unknown)");
        yield return Case("empty file", $"{ScenarioText.Marker}\n", "the file is empty; expected a mapping with the keys name, description");
    }

    private static TestCaseData Case(string name, string yaml, string message) =>
        new TestCaseData(yaml, message).SetName($"Rejects {name}");

    private const string Patroni = "  replicas: 2\n  manager: patroni\n";

    // One step at 1s on a two-replica cluster Patroni runs.
    private static string Managed(string body) => ScenarioText.Build(cluster: Patroni, schedule: "  - at: 1s\n" + body);

    // One step at 1s on the default two-replica cluster.
    private static string Step(string body) => ScenarioText.Build(schedule: "  - at: 1s\n" + body);

    // A first step at 1s (an action, or a fault with faultFirst), then the step under test at 2s.
    private static string Steps(string first, string target, string body, bool faultFirst = false) =>
        ScenarioText.Build(schedule: $"  - at: 1s\n    {(faultFirst ? "fault" : "action")}: {first}\n    target: {target}\n  - at: 2s\n" + body);
}
