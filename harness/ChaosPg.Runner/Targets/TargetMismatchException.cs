using System.Collections.Immutable;

namespace ChaosPg.Runner.Targets;

/// <summary>Thrown before anything starts when scenarios cannot run against a target; carries one line per problem.</summary>
public sealed class TargetMismatchException : Exception
{
    public TargetMismatchException(ImmutableArray<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public TargetMismatchException()
        : this([])
    {
    }

    public TargetMismatchException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public TargetMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>What is missing, one line each, naming the step and the target file's key.</summary>
    public ImmutableArray<string> Problems { get; }
}
