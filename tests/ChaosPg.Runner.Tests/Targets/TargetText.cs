namespace ChaosPg.Runner.Tests.Targets;

/// <summary>Target files for tests: a valid one for a primary and two replicas, with parts a test can replace.</summary>
public static class TargetText
{
    public const string File = "target.yaml";

    public static string Node(string name, int port, string extra = "") =>
        $"""
          {name}:
            client:
              connection: "Host=127.0.0.1;Port={port + 1000};Username=app;Database=shop"
              password-env: PGPASS_APP
            admin:
              connection: "Host=127.0.0.1;Port={port};Username=postgres;Database=shop"
              password-env: PGPASS_ADMIN
            vars:
              container: pg-{name}
        {extra}
        """;

    public static string Build(string? nodes = null, string commands = DockerCommands, string top = "i-own-this-cluster: true\n", string toxiproxy = Toxiproxy) =>
        top + commands + toxiproxy + "nodes:\n" + (nodes ?? Node("primary", 5432) + Node("replica1", 5433) + Node("replica2", 5434));

    public const string DockerCommands = """
        commands:
          kill: docker kill -s KILL {container}
          start: docker start {container}
          pause: docker pause {container}
          resume: docker unpause {container}
          restart: docker restart {container}

        """;

    public const string Toxiproxy = """
        toxiproxy:
          url: http://127.0.0.1:8474
          links:
            client->primary: pg-primary-client
            replica1->primary: pg-replica1-wal

        """;
}
