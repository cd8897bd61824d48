namespace ChaosPg.Cluster;

/// <summary>Exit code and captured output of a finished external command.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
