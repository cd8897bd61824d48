using ChaosPg.Core.Histories;

namespace ChaosPg.Runner.Workloads;

/// <summary>How a failed operation is recorded: fail or indeterminate, with the error to record.</summary>
public sealed record ClassifiedOutcome(OperationOutcome Outcome, OperationError Error);
