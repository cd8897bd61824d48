namespace ChaosPg.Core.Histories;

/// <summary>Why an operation failed: the SqlState when the server sent one and a coarse class (never a secret).</summary>
/// <param name="SqlState">The five-character SQLSTATE, or null when the failure was not a server error.</param>
/// <param name="ErrorClass">A short class such as "connection-lost", "timeout", "read-only", "serialization".</param>
/// <param name="Message">An optional short message; must not contain connection strings or passwords.</param>
public sealed record OperationError(string? SqlState, string ErrorClass, string? Message = null);
