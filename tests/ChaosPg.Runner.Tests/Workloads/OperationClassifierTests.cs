using System.Net.Sockets;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Workloads;
using FsCheck;
using FsCheck.Fluent;
using Npgsql;

namespace ChaosPg.Runner.Tests.Workloads;

public class OperationClassifierTests
{
    [TestCase("23505", "integrity")]
    [TestCase("23502", "integrity")]
    [TestCase("42601", "syntax-or-permission")]
    [TestCase("42501", "syntax-or-permission")]
    [TestCase("25006", "read-only")]
    [TestCase("40001", "serialization")]
    [TestCase("40P01", "deadlock")]
    public void A_server_error_that_aborts_the_autocommit_insert_fails_the_write(string sqlState, string errorClass)
    {
        var result = OperationClassifier.Classify(OperationKind.Write, ServerError(sqlState), statementSent: true);

        Assert.That(result.Outcome, Is.EqualTo(OperationOutcome.Fail));
        Assert.That(result.Error, Is.EqualTo(new OperationError(sqlState, errorClass, "boom")));
    }

    [TestCase("57P01", "admin-shutdown")]
    [TestCase("57P02", "admin-shutdown")]
    [TestCase("57P03", "admin-shutdown")]
    [TestCase("08006", "connection")]
    [TestCase("08P01", "connection")]
    [TestCase("57014", "server-error")]
    [TestCase("XX000", "server-error")]
    public void A_server_error_that_may_follow_the_commit_leaves_the_write_indeterminate(string sqlState, string errorClass)
    {
        var result = OperationClassifier.Classify(OperationKind.Write, ServerError(sqlState), statementSent: true);

        Assert.That(result.Outcome, Is.EqualTo(OperationOutcome.Indeterminate));
        Assert.That(result.Error.SqlState, Is.EqualTo(sqlState));
        Assert.That(result.Error.ErrorClass, Is.EqualTo(errorClass));
    }

    [Test]
    public void A_connection_lost_mid_insert_leaves_the_write_indeterminate()
    {
        foreach (var inner in new Exception[] { new EndOfStreamException(), new IOException("reset"), new SocketException() })
        {
            var result = OperationClassifier.Classify(OperationKind.Write, new NpgsqlException("Exception while reading from stream", inner), statementSent: true);

            Assert.That(result.Outcome, Is.EqualTo(OperationOutcome.Indeterminate), inner.GetType().Name);
            Assert.That(result.Error.ErrorClass, Is.EqualTo("connection-lost"), inner.GetType().Name);
            Assert.That(result.Error.SqlState, Is.Null);
        }
    }

    [Test]
    public void A_command_timeout_whose_cancel_got_no_answer_leaves_the_write_indeterminate()
    {
        var result = OperationClassifier.Classify(OperationKind.Write, new NpgsqlException("Exception while reading from stream", new TimeoutException()), statementSent: true);

        Assert.That(result.Outcome, Is.EqualTo(OperationOutcome.Indeterminate));
        Assert.That(result.Error.ErrorClass, Is.EqualTo("timeout"));
    }

    [Test]
    public void A_cancellation_mid_insert_leaves_the_write_indeterminate()
    {
        var cancelled = new OperationCanceledException("Query was cancelled", ServerError("57014"));

        var result = OperationClassifier.Classify(OperationKind.Write, cancelled, statementSent: true);

        Assert.That(result.Outcome, Is.EqualTo(OperationOutcome.Indeterminate));
        Assert.That(result.Error.ErrorClass, Is.EqualTo("cancelled"));
    }

    [Test]
    public void An_unexpected_client_exception_mid_insert_leaves_the_write_indeterminate()
    {
        var result = OperationClassifier.Classify(OperationKind.Write, new InvalidOperationException("Connection is not open"), statementSent: true);

        Assert.That(result.Outcome, Is.EqualTo(OperationOutcome.Indeterminate));
        Assert.That(result.Error.ErrorClass, Is.EqualTo("unexpected"));
    }

    [Test]
    public void A_connection_that_could_not_be_opened_fails_the_operation_because_nothing_was_sent()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused));

        Assert.That(OperationClassifier.Classify(OperationKind.Write, refused, statementSent: false).Outcome, Is.EqualTo(OperationOutcome.Fail));
        Assert.That(OperationClassifier.Classify(OperationKind.Write, ServerError("57P03"), statementSent: false),
            Is.EqualTo(new ClassifiedOutcome(OperationOutcome.Fail, new OperationError("57P03", "connect", "57P03: boom"))));
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Every_failed_read_is_fail_whatever_the_error(bool statementSent, byte pick, NonEmptyString sqlState)
    {
        Exception[] errors =
        [
            ServerError(sqlState.Get.PadRight(5, '0')[..5]),
            new NpgsqlException("x", new EndOfStreamException()),
            new NpgsqlException("x", new TimeoutException()),
            new OperationCanceledException(),
            new InvalidOperationException(),
        ];
        var result = OperationClassifier.Classify(OperationKind.Read, errors[pick % errors.Length], statementSent);
        return (result.Outcome == OperationOutcome.Fail).ToProperty();
    }

    private static PostgresException ServerError(string sqlState) => new("boom", "ERROR", "ERROR", sqlState);
}
