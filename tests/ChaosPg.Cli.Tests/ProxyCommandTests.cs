using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests;

/// <summary><c>chaospg proxy</c> run as a real process: serves the Toxiproxy API, stops on Ctrl-C, refuses a busy port.</summary>
public sealed class ProxyCommandTests
{
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
        var apiUri = await ChaospgProcess.ProxyApiUriAsync(process);

        using (var http = new HttpClient())
        {
            Assert.That(await http.GetStringAsync(new Uri(apiUri, "version")), Does.StartWith("{\"version\": "));
        }

        await ChaospgProcess.StopWithCtrlCAsync(process);
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

    private static Process Start(params string[] arguments) => ChaospgProcess.Start(arguments);
}
