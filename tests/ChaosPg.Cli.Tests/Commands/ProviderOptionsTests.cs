using System.CommandLine;
using ChaosPg.Cli.Commands;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>--network and --manager of the commands that make a cluster without a scenario, and doctor's sections.</summary>
public sealed class ProviderOptionsTests
{
    [TestCase("cluster", "up", "--manager", "pg_auto_failover", "chaospg: manager pg_auto_failover is not available yet in this version; available: none, patroni, repmgr")]
    [TestCase("bench", "bringup", "--manager", "pg_auto_failover", "chaospg: manager pg_auto_failover is not available yet in this version; available: none, patroni, repmgr")]
    public async Task A_planned_name_is_one_line_and_exit_code_2_before_anything_starts(string command, string subcommand, string option, string value, string expected)
    {
        var (code, output, error) = await InvokeAsync(command, subcommand, option, value);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo(expected));
        Assert.That(output, Is.Empty, "nothing started, nothing printed");
    }

    [TestCase("--manager", "pacemaker")]
    [TestCase("--network", "iptables")]
    public void An_unknown_name_is_a_usage_error_that_names_the_choices(string option, string value)
    {
        var errors = new RootCommand { ClusterCommand.Create() }.Parse(["cluster", "up", option, value]).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.Contain($"'{value}' not recognized"));
    }

    [Test]
    public async Task Doctor_reports_each_backend_network_mode_and_manager_under_its_own_heading()
    {
        var (originalOut, output) = (Console.Out, new StringWriter());
        Console.SetOut(output);
        try
        {
            await Program.Main(["doctor", "--pg-bin", "/nonexistent/pg/bin"]);
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.That(lines.Where(l => !l.StartsWith("ok", StringComparison.Ordinal) && !l.StartsWith("MISSING", StringComparison.Ordinal) && !l.StartsWith("absent", StringComparison.Ordinal) && l.Length > 0 && !l.Contains(':', StringComparison.Ordinal)),
            Is.EqualTo(new[] { "backend local", "backend docker", "backend target", "network proxy", "network kernel", "manager none", "manager patroni", "manager repmgr" }));
        Assert.That(lines, Has.Some.StartsWith("MISSING postgresql: --pg-bin /nonexistent/pg/bin has no 'postgres' executable"));
    }

    [Test]
    public async Task Doctor_exits_2_when_the_default_backend_is_missing_postgresql()
    {
        var (originalOut, output) = (Console.Out, new StringWriter());
        Console.SetOut(output);
        int code;
        try
        {
            code = await Program.Main(["doctor", "--pg-bin", "/nonexistent/pg/bin"]);
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        Assert.That(code, Is.EqualTo(2));
    }

    private static async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand { ClusterCommand.Create(), BenchCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
