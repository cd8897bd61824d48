using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Providers;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg doctor</c>: what each backend, network mode and manager of the provider found on this machine (with
/// versions) and how to fix what is missing. Exits 2 when the default cluster cannot start.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory to check instead of auto-detection." };
        var command = new Command("doctor", "Check what every backend, network mode and manager needs: PostgreSQL binaries, the server OS user, Docker, Toxiproxy.") { pgBin };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new ScenarioRunOptions { PgBinDirectory = parseResult.GetValue(pgBin) };
            var request = options.Request(ClusterSpec.CreateBuilder().WithPgBinDirectory(options.PgBinDirectory).Build());
            var reports = await options.Provider.DescribeAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var report in reports)
            {
                Console.WriteLine($"{ClusterAxisNames.Word(report.Axis)} {report.Name}");
                foreach (var finding in report.Findings)
                {
                    Console.WriteLine($"{Word(finding.Status),-7} {finding.Text}");
                }
            }

            return reports.Any(r => r.HasMissing) ? CommandErrors.EnvironmentError : 0;
        });
        return command;
    }

    private static string Word(FindingStatus status) => status switch
    {
        FindingStatus.Ok => "ok",
        FindingStatus.Missing => "MISSING",
        _ => "absent",
    };
}
