using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChaosPg.Runner.Tests.Durability;

/// <summary>
/// A kept data directory started alone: no standby or recovery signal, on a free loopback port, trust for local TCP
/// only, no WAL sender or receiver configured, so it recovers from its crash and talks to nobody.
/// </summary>
internal sealed class StandaloneServer : IAsyncDisposable
{
    private readonly string pgCtl;
    private readonly string dataDirectory;
    private int stopped;

    private StandaloneServer(string pgCtl, string dataDirectory, int port)
    {
        this.pgCtl = pgCtl;
        this.dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<StandaloneServer> StartAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken = default)
    {
        foreach (var signal in new[] { "standby.signal", "recovery.signal" })
        {
            File.Delete(Path.Combine(dataDirectory, signal));
        }

        // The run's pg_hba.conf wants per-run passwords the test does not know; this copy is disposable.
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "pg_hba.conf"), "host all postgres 127.0.0.1/32 trust\n", cancellationToken);
        var port = FreePort();
        var server = new StandaloneServer(Path.Combine(binDirectory, "pg_ctl"), dataDirectory, port);
        var options = $"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c primary_conninfo='' "
            + "-c synchronous_standby_names='' -c archive_mode=off -c max_wal_senders=0 -c wal_level=replica -c max_replication_slots=10";
        var exit = await RunAsPostgresAsync(server.pgCtl, ["-D", dataDirectory, "-w", "-t", "120", "-l", Path.Combine(dataDirectory, "standalone.log"), "-o", options, "start"], cancellationToken);
        if (exit.Code != 0)
        {
            var log = File.Exists(Path.Combine(dataDirectory, "standalone.log")) ? await File.ReadAllTextAsync(Path.Combine(dataDirectory, "standalone.log"), cancellationToken) : "";
            throw new InvalidOperationException($"pg_ctl start of {dataDirectory} failed ({exit.Code}): {exit.Output}\n{log}");
        }

        return server;
    }

    public async Task<IReadOnlyList<string>> WriteIdsAsync(string table, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = "chaospg",
            Pooling = false,
            SslMode = SslMode.Disable,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"select write_id from {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            await RunAsPostgresAsync(pgCtl, ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output)> RunAsPostgresAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-u", "postgres", "--", tool }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("runuser did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
