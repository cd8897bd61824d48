namespace ChaosPg.Toxiproxy;

/// <summary>How <see cref="ToxiproxyProvider"/> chooses a Toxiproxy.</summary>
public sealed record ToxiproxyProviderOptions
{
    /// <summary>A running Toxiproxy to use; when null, one is started.</summary>
    public Uri? Url { get; init; }

    /// <summary>The executable (a name looked up on PATH, or an absolute path) tried before the embedded server; null skips it.</summary>
    public string? ServerExecutable { get; init; } = "toxiproxy-server";

    /// <summary>How long a started <c>toxiproxy-server</c> may take to answer /version.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
