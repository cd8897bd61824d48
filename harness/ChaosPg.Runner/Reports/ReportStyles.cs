namespace ChaosPg.Runner.Reports;

/// <summary>The one stylesheet of every report, inlined so a report opens straight from disk with no fetch.</summary>
internal static class ReportStyles
{
    /// <summary>A content policy that forbids every fetch: a report that tried to load anything would show it as an error.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    public const string Css = """
        :root { --ok:#15803d; --bad:#b91c1c; --warn:#b45309; --unk:#6b7280; --line:#e5e7eb; --soft:#f9fafb; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color:#111827; margin:0 auto; max-width:1100px; padding:0 18px 60px; }
        h1 { font-size:22px; margin:18px 0 8px; } h2 { font-size:18px; margin:28px 0 8px; border-bottom:1px solid var(--line); padding-bottom:4px; } h3 { font-size:15px; margin:16px 0 6px; }
        .banner { padding:14px 18px; border-radius:8px; color:#fff; margin:16px 0; }
        .banner b { font-size:20px; letter-spacing:.04em; margin-right:10px; }
        .banner.passed { background:var(--ok); } .banner.failed { background:var(--bad); } .banner.error { background:var(--warn); }
        table { border-collapse:collapse; width:100%; margin:6px 0 10px; }
        th, td { border:1px solid var(--line); padding:4px 7px; text-align:left; vertical-align:top; }
        th { background:var(--soft); font-weight:600; }
        td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
        table.meta th { width:200px; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:12.5px; }
        pre { background:var(--soft); border:1px solid var(--line); padding:10px; overflow:auto; max-height:420px; }
        code.cmd { background:#111827; color:#f9fafb; padding:3px 8px; border-radius:4px; display:inline-block; }
        .v { font-weight:600; padding:1px 7px; border-radius:10px; white-space:nowrap; }
        .v.valid, .v.passed, .v.met { color:#fff; background:var(--ok); }
        .v.invalid, .v.failed, .v.unmet { color:#fff; background:var(--bad); }
        .v.unknown, .v.error { color:#fff; background:var(--warn); }
        .v.any, .v.none { color:#374151; background:#e5e7eb; }
        .notice { display:block; }
        .notice.sync { color:var(--bad); font-weight:600; }
        .muted { color:#6b7280; } .small { font-size:12px; }
        svg.chart { width:100%; height:auto; display:block; margin:4px 0 10px; background:#fff; }
        svg .grid { stroke:#eef0f3; } svg .axis { stroke:#9ca3af; } svg .lane { fill:#f9fafb; }
        svg text { font: 11px system-ui, "DejaVu Sans", sans-serif; fill:#374151; }
        svg .ct { font-weight:600; font-size:13px; fill:#111827; } svg .yt { text-anchor:end; } svg .xt { text-anchor:middle; }
        svg .yl { text-anchor:middle; } svg .bl { font-size:10.5px; fill:#111827; } svg .empty { text-anchor:middle; fill:#9ca3af; }
        nav a { margin-right:12px; }
        .legend span { display:inline-block; margin-right:14px; } .legend i { display:inline-block; width:10px; height:10px; margin-right:4px; }
        table.evidence td:first-child code { white-space:nowrap; }
        .problems { border-left:4px solid var(--warn); background:#fffbeb; padding:6px 12px; }
        """;
}
