using System.Globalization;
using Npgsql;

namespace ChaosPg.Runner.Tests.Faults;

/// <summary>Small helpers of the fault tests: SQL on a connection string, process state, polling with a deadline.</summary>
internal static class FaultTestSupport
{
    public const string PgBin = "/usr/lib/postgresql/15/bin";

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The state letter of /proc/&lt;pid&gt;/stat (R, S, T for stopped...).</summary>
    public static char ProcessState(int pid)
    {
        var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        return stat[stat.LastIndexOf(')') + 2];
    }

    public static Task EventuallyAsync(Func<bool> condition, string what) => EventuallyAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after 20 s.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within 20 s: {what}");
            }

            await Task.Delay(20);
        }
    }
}
