using System.Collections.Immutable;

namespace ChaosPg.Runner.Workloads;

/// <summary>
/// The table of each workload kind. Every row carries <c>write_id</c> (no unique constraint, so a duplicate stays
/// visible) and <c>seq</c>; the domain columns follow. Rows hold no server-side defaults such as now(), so a replay
/// with the same seed stores the same rows.
/// </summary>
public sealed record WorkloadSchema(string Kind, string Table, ImmutableArray<string> DomainColumns, string ColumnDefinitions)
{
    /// <summary>orders: a shop's orders.</summary>
    public static readonly WorkloadSchema Orders = new(
        "orders",
        "chaos_orders",
        ["customer_name", "email", "product", "quantity", "amount", "currency"],
        "customer_name text not null, email text not null, product text not null, quantity integer not null, amount numeric(12,2) not null, currency text not null");

    /// <summary>bank: transfers between accounts.</summary>
    public static readonly WorkloadSchema Bank = new(
        "bank",
        "chaos_transfers",
        ["from_iban", "to_iban", "amount", "memo"],
        "from_iban text not null, to_iban text not null, amount numeric(12,2) not null, memo text not null");

    /// <summary>list-append: rows keyed by an integer, each holding a list of unique integers; no write ids.</summary>
    public static readonly WorkloadSchema ListAppend = new("list-append", ListAppendTransaction.Table, [], "k int primary key, v int[] not null");

    /// <summary>The schema of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentException">The kind is not bank, orders or list-append.</exception>
    public static WorkloadSchema For(string kind) => kind switch
    {
        "orders" => Orders,
        "bank" => Bank,
        "list-append" => ListAppend,
        _ => throw new ArgumentException($"unknown workload kind '{kind}'; expected bank, orders or list-append", nameof(kind)),
    };

    /// <summary>False for list-append, whose rows are keys that transactions update, not single writes with a write id.</summary>
    public bool HasWriteIds => Kind != ListAppend.Kind;

    /// <summary>The query a snapshot digests, in a stable order: every row of the table.</summary>
    public string DigestSql => HasWriteIds
        ? $"select md5(coalesce(string_agg(t::text, E'\\n' order by seq, write_id), '')) from {Table} t"
        : $"select md5(coalesce(string_agg(t::text, E'\\n' order by k), '')) from {Table} t";

    /// <summary>Idempotent DDL: the table, an index on seq for the readers' max(seq), and the app role's rights.</summary>
    public string CreateSql => !HasWriteIds
        ? $"create table if not exists {Table} ({ColumnDefinitions}); grant select, insert, update on {Table} to public"
        : $"create table if not exists {Table} (write_id text not null, seq bigint not null, {ColumnDefinitions}); "
        + $"create index if not exists {Table}_seq on {Table} (seq); "

        // The chaospg database holds only harness roles; PUBLIC spares the schema step from knowing the app role's name.
        + $"grant select, insert on {Table} to public";

    /// <summary>The INSERT of one row: parameters are write_id, seq, then the domain columns in order.</summary>
    public string InsertSql =>
        $"insert into {Table} (write_id, seq, {string.Join(", ", DomainColumns)}) values ({string.Join(", ", Enumerable.Range(1, DomainColumns.Length + 2).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";

    /// <summary>What a reader reads: the high-water mark, the row count and the node's replay (or current) LSN.</summary>
    public string ReadSql =>
        $"select max(seq), count(*), case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end from {Table}";
}
