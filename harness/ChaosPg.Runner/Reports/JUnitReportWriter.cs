using System.Globalization;
using System.Text;
using System.Xml;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Reports;

/// <summary>
/// Writes a suite as JUnit XML (junit.xml) for CI systems: one testcase per run, a failure for an unmet expectation
/// with its evidence, an error for a run that could not complete.
/// </summary>
public static class JUnitReportWriter
{
    public const string FileName = "junit.xml";

    public static async Task WriteAsync(string path, string suiteName, IReadOnlyList<LoadedRun> runs, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        var xml = Build(suiteName, runs, timestamp);
        await File.WriteAllTextAsync(path, xml, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The JUnit document as text.</summary>
    public static string Build(string suiteName, IReadOnlyList<LoadedRun> runs, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(suiteName);
        ArgumentNullException.ThrowIfNull(runs);
        var inv = CultureInfo.InvariantCulture;
        var failures = runs.Count(r => r.Outcome == RunOutcome.Failed);
        var errors = runs.Count(r => r.Outcome == RunOutcome.Error);
        var time = runs.Sum(SuiteRun.Seconds).ToString("0.###", inv);
        var text = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Async = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", Clean(suiteName));
            xml.WriteAttributeString("tests", runs.Count.ToString(inv));
            xml.WriteAttributeString("failures", failures.ToString(inv));
            xml.WriteAttributeString("errors", errors.ToString(inv));
            xml.WriteAttributeString("time", time);
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Clean(suiteName));
            xml.WriteAttributeString("tests", runs.Count.ToString(inv));
            xml.WriteAttributeString("failures", failures.ToString(inv));
            xml.WriteAttributeString("errors", errors.ToString(inv));
            xml.WriteAttributeString("skipped", "0");
            xml.WriteAttributeString("time", time);
            xml.WriteAttributeString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", inv));
            foreach (var run in runs)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", Clean("chaospg." + run.ScenarioName));
                xml.WriteAttributeString("name", Clean($"{run.ScenarioName} seed {SuiteRun.Seed(run)}"));
                xml.WriteAttributeString("time", SuiteRun.Seconds(run).ToString("0.###", inv));
                if (run.Outcome != RunOutcome.Passed)
                {
                    var failed = run.Outcome == RunOutcome.Failed;
                    xml.WriteStartElement(failed ? "failure" : "error");
                    xml.WriteAttributeString("message", Clean(SecretRedactor.Redact(run.Reason)));
                    xml.WriteAttributeString("type", failed ? "unmet-expectation" : "run-error");
                    xml.WriteString(Clean(SuiteRun.EvidenceText(run)));
                    xml.WriteEndElement();
                }

                xml.WriteElementString("system-out", Clean($"run folder: {run.Folder.Path}\nreport: {run.Folder.ReportPath}\n"));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return text.ToString();
    }

    // XML 1.0 cannot carry most control characters, even escaped; a history message could hold one.
    private static string Clean(string text) =>
        text.Any(c => !XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            ? new string([.. text.Where(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c))])
            : text;

    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
