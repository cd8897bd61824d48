using System.CommandLine;
using System.Text.Json;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg report &lt;run dir | suite dir&gt;</c>: rebuilds report.html of a run, or index.html and junit.xml of a suite.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "a run folder (rebuilds report.html) or a suite folder with suite.json (rebuilds index.html and junit.xml)" };
        var command = new Command("report", "Rebuild the HTML report of a run or a suite from its folder alone; exit 0 built, 2 bad input.");
        command.Arguments.Add(folder);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(folder)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return Fail($"no folder at {folder}: pass a run folder (reports/runs/<scenario>/<time>-<seed>) or a suite folder");
        }

        try
        {
            var written = File.Exists(Path.Combine(folder, SuiteManifest.FileName))
                ? await SuiteReportBuilder.RebuildAsync(folder, cancellationToken).ConfigureAwait(false)
                : await RunReportBuilder.WriteAsync(folder, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(written);
            return 0;
        }
        catch (InvalidDataException e)
        {
            return Fail(e.Message + ": pass a run folder or a suite folder with " + SuiteManifest.FileName);
        }
        catch (JsonException e)
        {
            return Fail($"{Path.Combine(folder, SuiteManifest.FileName)}: not a suite manifest: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"{folder}: cannot write the report: {e.Message}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
