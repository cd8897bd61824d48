using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests;

/// <summary><c>chaospg proxy</c> run as a real process: serves the Toxiproxy API, stops on Ctrl-C, refuses a busy port.</summary>
public sealed class ProxyCommandTests
{
    private static readonly string Chaospg = Path.Combine(AppContext.BaseDirectory, "chaospg.dll");

    [Test]
    public async Task Proxy_serves_the_toxiproxy_api_and_exits_0_on_ctrl_c()
    {
        using var process = Start("proxy", "--port", "0");
        try
        {
            await StopWithCtrlCAsync(process);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.That(process.ExitCode, Is.Zero);
    }

    private static async Task StopWithCtrlCAsync(Process process)
    {
        var line = await ReadLineContainingAsync(process, "listening on ");
        var apiUri = new Uri(line[(line.IndexOf("listening on ", StringComparison.Ordinal) + 13)..].Split(' ')[0]);

        using (var http = new HttpClient())
        {
            Assert.That(await http.GetStringAsync(new Uri(apiUri, "version")), Does.StartWith("{\"version\": "));
        }

        using (var kill = Process.Start("kill", ["-s", "INT", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
    }

    [Test]
    public async Task Proxy_on_a_port_in_use_prints_one_line_and_exits_2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var process = Start("proxy", "--port", port.ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var errors = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(errors, Does.Contain($"127.0.0.1:{port}").And.Contain("--port"));
    }

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Chaospg);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<string> ReadLineContainingAsync(Process process, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new EndOfStreamException($"chaospg exited without printing '{text}'");
    }
}
