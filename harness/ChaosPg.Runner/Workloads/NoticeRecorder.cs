using System.Collections.Immutable;
using ChaosPg.Core.Histories;
using Npgsql;

namespace ChaosPg.Runner.Workloads;

/// <summary>Collects the notices a connection receives so each operation can record those that arrived during it.</summary>
internal sealed class NoticeRecorder
{
    private readonly Lock gate = new();
    private readonly List<ServerNotice> notices = [];

    public void Attach(NpgsqlConnection connection) => connection.Notice += OnNotice;

    public void Detach(NpgsqlConnection connection) => connection.Notice -= OnNotice;

    /// <summary>Returns and forgets the notices received since the last call.</summary>
    public ImmutableArray<ServerNotice> Drain()
    {
        lock (gate)
        {
            var drained = notices.ToImmutableArray();
            notices.Clear();
            return drained;
        }
    }

    private void OnNotice(object? sender, NpgsqlNoticeEventArgs e)
    {
        var notice = e.Notice;
        lock (gate)
        {
            notices.Add(new ServerNotice(notice.Severity, notice.SqlState, notice.MessageText, notice.Detail));
        }
    }
}
