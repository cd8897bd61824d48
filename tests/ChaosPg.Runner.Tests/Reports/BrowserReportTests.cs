using ChaosPg.Runner.Reports;
using Microsoft.Playwright;

namespace ChaosPg.Runner.Tests.Reports;

/// <summary>Opens the reports in Debian's headless Chromium through Playwright: nothing may fail or leave the file.</summary>
[Category("Browser")]
public sealed class BrowserReportTests
{
    private const string Chromium = "/usr/bin/chromium";
    private FixtureRun fixture = null!;

    [SetUp]
    public void CopyFixture()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests");
        }

        fixture = new FixtureRun();
    }

    [TearDown]
    public void RemoveCopy() => fixture?.Delete();

    [Test]
    public async Task The_run_report_renders_from_disk_with_no_console_error_and_no_request_leaving_the_file()
    {
        var report = await RunReportBuilder.WriteAsync(fixture.Path);

        var page = await OpenAsync(report);

        Assert.That(page.ConsoleErrors, Is.Empty, "console errors");
        Assert.That(page.Requests, Is.Not.Empty.And.All.StartWith("file://"), "every request stays on the file");
        Assert.That(page.Charts, Is.GreaterThanOrEqualTo(6), "timeline, throughput x2, latency, lag x2");
        Assert.That(page.BrokenLinks, Is.Empty, "relative links to the run's files resolve from disk");
        AssertNotBlank(page.Screenshot);
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "run-report.png");
        await File.WriteAllBytesAsync(screenshot, page.Screenshot);
        TestContext.AddTestAttachment(screenshot, "the run report as Chromium rendered it");
    }

    [Test]
    public async Task The_suite_index_renders_from_disk_with_no_console_error_and_no_request_leaving_the_file()
    {
        var index = await SuiteReportBuilder.WriteAsync(Path.Combine(fixture.Root, "suites", "s1"), "nightly", [fixture.Path]);

        var page = await OpenAsync(index);

        Assert.That(page.ConsoleErrors, Is.Empty, "console errors");
        Assert.That(page.Requests, Is.Not.Empty.And.All.StartWith("file://"));
        Assert.That(page.BrokenLinks, Is.Empty, "the run report and junit.xml links resolve from disk");
        AssertNotBlank(page.Screenshot);
    }

    [Test]
    public async Task A_page_that_reaches_for_the_network_is_caught()
    {
        // The control for the two tests above: the same probe must see a fetch and a script error when there are some.
        var page = Path.Combine(fixture.Root, "leaky.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"><script>undefinedFunction()</script><p>x</p></body></html>");

        var rendered = await OpenAsync(page);

        Assert.That(rendered.Requests, Has.Some.StartWith("http://127.0.0.1:9/"));
        Assert.That(rendered.ConsoleErrors, Has.Some.Contains("undefinedFunction"));
    }

    [Test]
    public async Task A_blank_page_is_recognised_as_blank()
    {
        var page = Path.Combine(fixture.Root, "blank.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body></body></html>");

        var rendered = await OpenAsync(page);

        Assert.That(PngImage.Scanlines(rendered.Screenshot).Distinct().Count(), Is.LessThanOrEqualTo(32));
    }

    private static void AssertNotBlank(byte[] png)
    {
        var pixels = PngImage.Scanlines(png);
        var distinct = pixels.Distinct().Count();
        var nonWhite = pixels.Count(b => b < 0xF0) / (double)pixels.Length;
        Assert.That(distinct, Is.GreaterThan(32), "a rendered page has many shades, a blank one a few");
        Assert.That(nonWhite, Is.GreaterThan(0.01), "more than 1% of the bytes are not white");
    }

    private static async Task<RenderedPage> OpenAsync(string htmlPath)
    {
        var userData = Directory.CreateTempSubdirectory("chaospg-chromium-").FullName;
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var context = await playwright.Chromium.LaunchPersistentContextAsync(userData, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
            });
            var errors = new List<string>();
            var requests = new List<string>();
            context.Request += (_, request) => requests.Add(request.Url);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    errors.Add($"{message.Type}: {message.Text}");
                }
            };
            page.PageError += (_, error) => errors.Add("page error: " + error);
            page.RequestFailed += (_, request) => errors.Add($"request failed: {request.Url} {request.Failure}");

            await page.GotoAsync(new Uri(htmlPath).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            var charts = await page.Locator("svg.chart").CountAsync();
            var hrefs = await page.EvalOnSelectorAllAsync<string[]>("a[href]", "links => links.map(a => a.href)");
            var broken = hrefs
                .Where(h => h.StartsWith("file://", StringComparison.Ordinal) && !h.Contains('#', StringComparison.Ordinal))
                .Where(h => !File.Exists(new Uri(h).LocalPath))
                .ToList();
            var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });
            return new RenderedPage(errors, requests, charts, broken, screenshot);
        }
        finally
        {
            Directory.Delete(userData, recursive: true);
        }
    }

    private sealed record RenderedPage(List<string> ConsoleErrors, List<string> Requests, int Charts, List<string> BrokenLinks, byte[] Screenshot);
}
