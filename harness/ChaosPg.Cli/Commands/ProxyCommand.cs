using System.CommandLine;
using ChaosPg.Toxiproxy.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg proxy</c>: runs the embedded Toxiproxy-compatible server until Ctrl-C.</summary>
public static class ProxyCommand
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "API host to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "API port (0 picks a free one).", DefaultValueFactory = _ => 8474 }.PortRange(allowZero: true);
        var command = new Command("proxy", "Run the embedded Toxiproxy-compatible server (same HTTP API) until Ctrl-C.") { host, port };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // This process only proxies, and nothing in it blocks a thread, so socket completions may run on the epoll
            // thread instead of hopping to the thread pool. Connections without toxics go through the server's relay,
            // which does not use .NET's socket engine; this speeds up the links of connections with toxics. It must be
            // set before the first socket operation of the process.
            if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
            {
                Environment.SetEnvironmentVariable(InlineCompletions, "1");
            }

            using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            }));
            var options = new ToxiproxyServerOptions
            {
                Host = parseResult.GetValue(host) ?? "127.0.0.1",
                Port = parseResult.GetValue(port),
                Logger = loggerFactory.CreateLogger("toxiproxy"),
            };
            ToxiproxyServer server;
            try
            {
                server = await ToxiproxyServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException exception)
            {
                await Console.Error.WriteLineAsync(
                    $"chaospg proxy: cannot listen on {options.Host}:{options.Port} ({exception.Message.TrimEnd('.')}); pick another --port.").ConfigureAwait(false);
                return 2;
            }
            catch (System.Net.Sockets.SocketException exception)
            {
                await Console.Error.WriteLineAsync($"chaospg proxy: cannot resolve --host {options.Host} ({exception.Message}).").ConfigureAwait(false);
                return 2;
            }

            await using (server.ConfigureAwait(false))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return 0;
        });
        return command;
    }
}
