using System.Collections.Immutable;
using System.Text.Json;

namespace ChaosPg.Core.Histories;

/// <summary>
/// Reads one history line with a forward-only <see cref="Utf8JsonReader"/>: the reading side of the format that
/// <see cref="CoreJsonContext"/> writes. Several times faster than the serializer's polymorphic, constructor-bound
/// path, which dominated loading a history of a million operations. Property order does not matter; unknown
/// properties are skipped so newer files still load. Property names are told apart by length and bytes rather than by
/// a chain of comparisons, and the names a history repeats on every line (client, node, link, table) come from a pool
/// instead of a new string each: together about half the cost of a line. One instance per file; not thread-safe.
/// </summary>
internal sealed class HistoryLineParser
{
    private readonly Utf8NamePool names = new();
    private MicroOp[]? transactionScratch;
    private long[]? valuesScratch;

    private static readonly (byte[] Name, EventKind Kind)[] EventKinds =
        [.. Enum.GetValues<EventKind>().Select(k => (System.Text.Encoding.UTF8.GetBytes(JsonNamingPolicy.KebabCaseLower.ConvertName(k.ToString())), k))];

    /// <exception cref="JsonException">The line is not a history line.</exception>
    public HistoryLine Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        var fields = default(Fields);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            ReadProperty(ref reader, ref fields);
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("unterminated object");
        }

        return fields.Type switch
        {
            LineType.Invoke => new OperationInvoked(
                fields.AtMicros, fields.OperationId, Required(fields.Client, "client"), fields.OperationKind, Required(fields.Node, "node"),
                Required(fields.Link, "link"), fields.WriteId, fields.Seq, fields.Table, fields.Txn),
            LineType.Complete => new OperationCompleted(
                fields.AtMicros, fields.OperationId, fields.Outcome ?? throw new JsonException("missing outcome"), fields.Error, fields.CommitLsn, fields.Read, fields.Notices, fields.CancelledAtStop, fields.Txn),
            LineType.EventStart => new EventStarted(
                fields.AtMicros, fields.EventId, fields.EventKind ?? throw new JsonException("missing kind"), Required(fields.Target, "target"), fields.Parameters),
            LineType.EventEnd => new EventEnded(fields.AtMicros, fields.EventId, fields.Ok ?? true, fields.Message),
            LineType.Run => new RunStarted(
                fields.AtMicros, Required(fields.Scenario, "scenario"), fields.Seed, fields.StartedUtc, Required(fields.InitialPrimary, "initialPrimary"), fields.ConsistencyModel),
            _ => throw new JsonException("missing or unknown \"type\""),
        };
    }

    private void ReadProperty(ref Utf8JsonReader reader, ref Fields fields)
    {
        var property = Identify(ref reader);
        Next(ref reader);
        switch (property)
        {
            case Property.Type:
                fields.Type = reader.ValueTextEquals("invoke"u8) ? LineType.Invoke
                    : reader.ValueTextEquals("complete"u8) ? LineType.Complete
                    : reader.ValueTextEquals("event-start"u8) ? LineType.EventStart
                    : reader.ValueTextEquals("event-end"u8) ? LineType.EventEnd
                    : reader.ValueTextEquals("run"u8) ? LineType.Run
                    : throw new JsonException("unknown line type " + reader.GetString());
                break;
            case Property.AtMicros:
                fields.AtMicros = reader.GetInt64();
                break;
            case Property.OperationId:
                fields.OperationId = reader.GetInt64();
                break;
            case Property.Client:
                fields.Client = PooledString(ref reader);
                break;
            case Property.Kind:
                ReadKind(ref reader, ref fields);
                break;
            case Property.Node:
                fields.Node = PooledString(ref reader);
                break;
            case Property.Link:
                fields.Link = PooledString(ref reader);
                break;
            case Property.WriteId:
                fields.WriteId = StringValue(ref reader);
                break;
            case Property.Seq:
                fields.Seq = Int64OrNull(ref reader);
                break;
            case Property.Table:
                fields.Table = PooledString(ref reader);
                break;
            case Property.Outcome:
                fields.Outcome = reader.ValueTextEquals("ok"u8) ? OperationOutcome.Ok
                    : reader.ValueTextEquals("fail"u8) ? OperationOutcome.Fail
                    : reader.ValueTextEquals("indeterminate"u8) ? OperationOutcome.Indeterminate
                    : throw new JsonException("unknown outcome " + reader.GetString());
                break;
            case Property.Error:
                ReadErrorProperty(ref reader, ref fields);
                break;
            case Property.CommitLsn:
                fields.CommitLsn = LsnValue(ref reader);
                break;
            case Property.Read:
                fields.Read = ReadRead(ref reader);
                break;
            case Property.Notices:
                fields.Notices = ReadNotices(ref reader);
                break;
            case Property.CancelledAtStop:
                fields.CancelledAtStop = reader.GetBoolean();
                break;
            case Property.EventId:
                fields.EventId = reader.GetInt64();
                break;
            case Property.Target:
                fields.Target = StringValue(ref reader);
                break;
            case Property.Parameters:
                fields.Parameters = ReadParameters(ref reader);
                break;
            case Property.Ok:
                fields.Ok = reader.GetBoolean();
                break;
            case Property.Scenario:
                fields.Scenario = StringValue(ref reader);
                break;
            case Property.Seed:
                fields.Seed = reader.GetInt64();
                break;
            case Property.StartedUtc:
                fields.StartedUtc = reader.GetDateTimeOffset();
                break;
            case Property.InitialPrimary:
                fields.InitialPrimary = StringValue(ref reader);
                break;
            case Property.ConsistencyModel:
                fields.ConsistencyModel = StringValue(ref reader);
                break;
            case Property.Txn:
                fields.Txn = MicroOpJsonConverter.ReadTransaction(ref reader, ref transactionScratch, ref valuesScratch);
                break;
            default:
                reader.Skip();
                break;
        }
    }

    // The reader is on a property name; the writer never escapes these, so an escaped one is unescaped first.
    private static Property Identify(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Identify(reader.ValueSpan);
        }

        Span<byte> unescaped = stackalloc byte[64];
        return reader.ValueSpan.Length > unescaped.Length ? Property.Unknown : Identify(unescaped[..reader.CopyString(unescaped)]);
    }

    private static Property Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => Is(name, "ok"u8, Property.Ok),
        3 => name[0] == (byte)'s' ? Is(name, "seq"u8, Property.Seq) : Is(name, "txn"u8, Property.Txn),
        4 => name[0] switch
        {
            (byte)'t' => Is(name, "type"u8, Property.Type),
            (byte)'k' => Is(name, "kind"u8, Property.Kind),
            (byte)'n' => Is(name, "node"u8, Property.Node),
            (byte)'l' => Is(name, "link"u8, Property.Link),
            (byte)'r' => Is(name, "read"u8, Property.Read),
            _ => Is(name, "seed"u8, Property.Seed),
        },
        5 => name[0] == (byte)'t' ? Is(name, "table"u8, Property.Table) : Is(name, "error"u8, Property.Error),
        6 => name[0] == (byte)'c' ? Is(name, "client"u8, Property.Client) : Is(name, "target"u8, Property.Target),
        7 => name[0] switch
        {
            (byte)'w' => Is(name, "writeId"u8, Property.WriteId),
            (byte)'o' => Is(name, "outcome"u8, Property.Outcome),
            (byte)'n' => Is(name, "notices"u8, Property.Notices),
            _ => Is(name, "eventId"u8, Property.EventId),
        },
        8 => name[0] == (byte)'a' ? Is(name, "atMicros"u8, Property.AtMicros) : Is(name, "scenario"u8, Property.Scenario),
        9 => Is(name, "commitLsn"u8, Property.CommitLsn),
        10 => name[0] == (byte)'p' ? Is(name, "parameters"u8, Property.Parameters) : Is(name, "startedUtc"u8, Property.StartedUtc),
        11 => Is(name, "operationId"u8, Property.OperationId),
        14 => Is(name, "initialPrimary"u8, Property.InitialPrimary),
        15 => Is(name, "cancelledAtStop"u8, Property.CancelledAtStop),
        16 => Is(name, "consistencyModel"u8, Property.ConsistencyModel),
        _ => Property.Unknown,
    };

    private static Property Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected, Property property) =>
        name.SequenceEqual(expected) ? property : Property.Unknown;

    private static void ReadKind(ref Utf8JsonReader reader, ref Fields fields)
    {
        if (reader.ValueTextEquals("write"u8))
        {
            fields.OperationKind = OperationKind.Write;
        }
        else if (reader.ValueTextEquals("read"u8))
        {
            fields.OperationKind = OperationKind.Read;
        }
        else if (reader.ValueTextEquals("txn"u8))
        {
            fields.OperationKind = OperationKind.Txn;
        }
        else
        {
            fields.EventKind = ReadEventKind(ref reader);
        }
    }

    private static void ReadErrorProperty(ref Utf8JsonReader reader, ref Fields fields)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            fields.Message = reader.GetString();
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            fields.Error = ReadError(ref reader);
        }
        else if (reader.TokenType != JsonTokenType.Null)
        {
            throw new JsonException("error must be an object or a string");
        }
    }

    private string? PooledString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => names.Get(ref reader),
        JsonTokenType.Null => null,
        _ => throw new JsonException("expected a string"),
    };

    private static EventKind ReadEventKind(ref Utf8JsonReader reader)
    {
        foreach (var (name, kind) in EventKinds)
        {
            if (reader.ValueTextEquals(name))
            {
                return kind;
            }
        }

        throw new JsonException("unknown kind " + reader.GetString());
    }

    private static OperationError? ReadError(ref Utf8JsonReader reader)
    {
        string? sqlState = null, errorClass = null, message = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sqlState"u8))
            {
                sqlState = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("errorClass"u8))
            {
                errorClass = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                message = ReadString(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new OperationError(sqlState, Required(errorClass, "errorClass"), message);
    }

    private static ReadResult? ReadRead(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("read must be an object");
        }

        long? maxSeq = null, rowCount = null;
        Lsn? replayLsn = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("maxSeq"u8))
            {
                maxSeq = ReadInt64OrNull(ref reader);
            }
            else if (reader.ValueTextEquals("rowCount"u8))
            {
                rowCount = ReadInt64OrNull(ref reader);
            }
            else if (reader.ValueTextEquals("replayLsn"u8))
            {
                replayLsn = ReadLsn(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new ReadResult(maxSeq, rowCount, replayLsn);
    }

    private static ImmutableArray<ServerNotice> ReadNotices(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("notices must be an array");
        }

        var notices = ImmutableArray.CreateBuilder<ServerNotice>();
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            string? severity = null, sqlState = null, message = null, detail = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("severity"u8))
                {
                    severity = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("sqlState"u8))
                {
                    sqlState = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    message = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("detail"u8))
                {
                    detail = ReadString(ref reader);
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            notices.Add(new ServerNotice(Required(severity, "severity"), Required(sqlState, "sqlState"), Required(message, "message"), detail));
        }

        return notices.ToImmutable();
    }

    private static ImmutableDictionary<string, string>? ReadParameters(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("parameters must be an object");
        }

        var parameters = ImmutableDictionary.CreateBuilder<string, string>();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            parameters[key] = Required(ReadString(ref reader), key);
        }

        return parameters.ToImmutable();
    }

    private static Lsn? ReadLsn(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return LsnValue(ref reader);
    }

    private static Lsn? LsnValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("expected a string");
        }

        return !reader.ValueIsEscaped && Lsn.TryParse(reader.ValueSpan, out var lsn) ? lsn
            : Lsn.TryParse(reader.GetString(), out lsn) ? lsn
            : throw new JsonException($"'{reader.GetString()}' is not an LSN");
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return StringValue(ref reader);
    }

    private static string? StringValue(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("expected a string"),
    };

    private static long? ReadInt64OrNull(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return Int64OrNull(ref reader);
    }

    private static long? Int64OrNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("unexpected end of line");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"expected {type}");
        }
    }

    private static string Required(string? value, string name) => value ?? throw new JsonException($"missing {name}");

    private enum LineType
    {
        None,
        Run,
        Invoke,
        Complete,
        EventStart,
        EventEnd,
    }

    private enum Property
    {
        Unknown,
        Type,
        AtMicros,
        OperationId,
        Client,
        Kind,
        Node,
        Link,
        WriteId,
        Seq,
        Table,
        Outcome,
        Error,
        CommitLsn,
        Read,
        Notices,
        CancelledAtStop,
        EventId,
        Target,
        Parameters,
        Ok,
        Scenario,
        Seed,
        StartedUtc,
        InitialPrimary,
        ConsistencyModel,
        Txn,
    }

    private struct Fields
    {
        public LineType Type;
        public long AtMicros;
        public long OperationId;
        public string? Client;
        public OperationKind OperationKind;
        public string? Node;
        public string? Link;
        public string? WriteId;
        public long? Seq;
        public string? Table;
        public OperationOutcome? Outcome;
        public OperationError? Error;
        public Lsn? CommitLsn;
        public ReadResult? Read;
        public ImmutableArray<ServerNotice> Notices;
        public bool CancelledAtStop;
        public long EventId;
        public EventKind? EventKind;
        public string? Target;
        public ImmutableDictionary<string, string>? Parameters;
        public bool? Ok;
        public string? Message;
        public string? Scenario;
        public long Seed;
        public DateTimeOffset StartedUtc;
        public string? InitialPrimary;
        public string? ConsistencyModel;
        public ImmutableArray<MicroOp> Txn;
    }
}
