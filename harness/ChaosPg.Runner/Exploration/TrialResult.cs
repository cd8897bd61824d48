namespace ChaosPg.Runner.Exploration;

/// <summary>One run of a schedule: the property's verdict, why, the workload seed and the run folder.</summary>
/// <param name="Verdict">Held, violated or inconclusive.</param>
/// <param name="Reason">One line: what failed ("durability invalid: 44 of 919 acknowledged writes lost ...") or why it held.</param>
/// <param name="Seed">The seed the run used; <c>chaospg run &lt;file&gt; --seed S</c> replays it.</param>
/// <param name="RunDirectory">The run folder, when the run left one.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record TrialResult(TrialVerdict Verdict, string Reason, long Seed, string? RunDirectory, TimeSpan Elapsed);
