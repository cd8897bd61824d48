using System.Net.Sockets;
using ChaosPg.Core.Histories;
using Npgsql;

namespace ChaosPg.Runner.Workloads;

/// <summary>
/// Decides how a failed operation is recorded, from the exception's type and SqlState only (never its message).
/// A write is <c>fail</c> only when it certainly did not commit: nothing was sent, or the server answered the
/// autocommit statement with an error that aborts it. Any doubt (connection lost, timeout, cancellation, shutdown)
/// is <c>indeterminate</c>. Reads change nothing, so every failed read is <c>fail</c>.
/// </summary>
public static class OperationClassifier
{
    /// <param name="kind">Write or read.</param>
    /// <param name="exception">What the client caught.</param>
    /// <param name="statementSent">False when the connection could not be opened, so nothing reached a server.</param>
    public static ClassifiedOutcome Classify(OperationKind kind, Exception exception, bool statementSent)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (error, certainlyNotCommitted) = Describe(exception, statementSent);
        var outcome = kind == OperationKind.Read || certainlyNotCommitted ? OperationOutcome.Fail : OperationOutcome.Indeterminate;
        return new ClassifiedOutcome(outcome, error);
    }

    private static (OperationError Error, bool CertainlyNotCommitted) Describe(Exception exception, bool statementSent)
    {
        if (!statementSent)
        {
            return (new OperationError(SqlStateOf(exception), "connect", exception.Message), true);
        }

        return exception switch
        {
            PostgresException pg => DescribeServerError(pg),
            OperationCanceledException => (new OperationError(null, "cancelled", exception.Message), false),
            NpgsqlException npgsql => (new OperationError(null, ClientErrorClass(npgsql), exception.Message), false),
            _ => (new OperationError(null, "unexpected", exception.GetType().Name + ": " + exception.Message), false),
        };
    }

    private static (OperationError Error, bool CertainlyNotCommitted) DescribeServerError(PostgresException pg)
    {
        var state = pg.SqlState;
        var (errorClass, notCommitted) = state switch
        {
            "25006" => ("read-only", true),
            "40001" => ("serialization", true),
            "40P01" => ("deadlock", true),
            "57P01" or "57P02" or "57P03" => ("admin-shutdown", false),
            _ when state.StartsWith("23", StringComparison.Ordinal) => ("integrity", true),
            _ when state.StartsWith("42", StringComparison.Ordinal) => ("syntax-or-permission", true),
            _ when state.StartsWith("08", StringComparison.Ordinal) => ("connection", false),

            // Other server errors (cancel, resources, internal) are not proven to have happened before COMMIT.
            _ => ("server-error", false),
        };
        return (new OperationError(state, errorClass, pg.MessageText), notCommitted);
    }

    private static string ClientErrorClass(NpgsqlException exception) => exception.InnerException switch
    {
        TimeoutException => "timeout",
        EndOfStreamException or IOException or SocketException => "connection-lost",
        _ => "client",
    };

    private static string? SqlStateOf(Exception exception) => (exception as PostgresException)?.SqlState;
}
