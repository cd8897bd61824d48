using ChaosPg.Core.Histories;
using ChaosPg.Core.Simulation;
using ChaosPg.Core.Snapshots;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    private string runDirectory = null!;
    private StringWriter output = null!;
    private StringWriter errors = null!;
    private TextWriter originalOut = null!;
    private TextWriter originalError = null!;

    [SetUp]
    public async Task WriteASimulatedRun()
    {
        runDirectory = Directory.CreateTempSubdirectory("chaospg-check-").FullName;
        FinalState state;
        using (var writer = HistoryWriter.Open(Path.Combine(runDirectory, HistoryWriter.FileName)))
        {
            state = new CorrectRunGenerator(5, 500).Generate(writer.Append);
        }

        await FinalStateStore.SaveAsync(Path.Combine(runDirectory, FinalStateStore.FileName), state);
        (originalOut, originalError) = (Console.Out, Console.Error);
        (output, errors) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(errors);
    }

    [TearDown]
    public void Restore()
    {
        Console.SetOut(originalOut);
        Console.SetError(originalError);
        output.Dispose();
        errors.Dispose();
        Directory.Delete(runDirectory, recursive: true);
    }

    [Test]
    public async Task A_correct_run_folder_checks_valid_with_exit_code_0()
    {
        var code = await Program.Main(["check", runDirectory]);

        Assert.That(code, Is.EqualTo(0), errors.ToString());
        Assert.That(output.ToString(), Does.Contain("durability").And.Contain("verdict: valid"));
    }

    [Test]
    public async Task A_lost_write_exits_1_and_is_named()
    {
        var path = Path.Combine(runDirectory, FinalStateStore.FileName);
        var state = await FinalStateStore.LoadAsync(path);
        var history = await HistoryReader.ReadAsync(Path.Combine(runDirectory, HistoryWriter.FileName));
        var victim = history.Writes.First(w => w.Outcome == OperationOutcome.Ok).WriteId!;
        var lossy = state with { Nodes = [.. state.Nodes.Select(n => n with { WriteIds = [.. n.WriteIds.Where(id => id != victim)] })] };
        var lossyPath = Path.Combine(runDirectory, "lossy.json");
        await FinalStateStore.SaveAsync(lossyPath, lossy);

        var code = await Program.Main(["check", Path.Combine(runDirectory, HistoryWriter.FileName), "--snapshots", lossyPath]);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain(victim + ": acknowledged by"));
    }

    [Test]
    public async Task A_snapshots_file_whose_write_ids_are_not_strings_is_one_line_on_stderr_and_exit_code_2()
    {
        var path = Path.Combine(runDirectory, "bad.json");
        await File.WriteAllTextAsync(path, """{"finalPrimary":"replica1","atMicros":1,"nodes":[{"node":"replica1","reachable":true,"role":"primary","writeIds":[{"id":1}]}]}""");

        var code = await Program.Main(["check", Path.Combine(runDirectory, HistoryWriter.FileName), "--snapshots", path]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(errors.ToString(), Does.Contain("bad.json: not a snapshots file"));
    }

    [Test]
    public async Task A_missing_history_is_one_line_on_stderr_and_exit_code_2()
    {
        var code = await Program.Main(["check", Path.Combine(runDirectory, "nope.jsonl")]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(errors.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(errors.ToString(), Does.Contain("nope.jsonl"));
    }
}
