using System.Collections.Immutable;
using System.Text.Json;

namespace ChaosPg.Core.Histories;

/// <summary>
/// Reads one history line with a forward-only <see cref="Utf8JsonReader"/>: the reading side of the format that
/// <see cref="CoreJsonContext"/> writes. Several times faster than the serializer's polymorphic, constructor-bound
/// path, which dominated loading a history of a million operations. Property order does not matter; unknown
/// properties are skipped so newer files still load.
/// </summary>
internal static class HistoryLineParser
{
    private static readonly (byte[] Name, EventKind Kind)[] EventKinds =
        [.. Enum.GetValues<EventKind>().Select(k => (System.Text.Encoding.UTF8.GetBytes(JsonNamingPolicy.KebabCaseLower.ConvertName(k.ToString())), k))];

    /// <exception cref="JsonException">The line is not a history line.</exception>
    public static HistoryLine Parse(ReadOnlySpan<byte> utf8)
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

    private static void ReadProperty(ref Utf8JsonReader reader, ref Fields fields)
    {
        if (reader.ValueTextEquals("type"u8))
        {
            Next(ref reader);
            fields.Type = reader.ValueTextEquals("invoke"u8) ? LineType.Invoke
                : reader.ValueTextEquals("complete"u8) ? LineType.Complete
                : reader.ValueTextEquals("event-start"u8) ? LineType.EventStart
                : reader.ValueTextEquals("event-end"u8) ? LineType.EventEnd
                : reader.ValueTextEquals("run"u8) ? LineType.Run
                : throw new JsonException("unknown line type " + reader.GetString());
        }
        else if (reader.ValueTextEquals("atMicros"u8))
        {
            Next(ref reader);
            fields.AtMicros = reader.GetInt64();
        }
        else if (reader.ValueTextEquals("operationId"u8))
        {
            Next(ref reader);
            fields.OperationId = reader.GetInt64();
        }
        else if (reader.ValueTextEquals("client"u8))
        {
            fields.Client = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("kind"u8))
        {
            Next(ref reader);
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
        else if (reader.ValueTextEquals("node"u8))
        {
            fields.Node = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("link"u8))
        {
            fields.Link = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("writeId"u8))
        {
            fields.WriteId = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("seq"u8))
        {
            fields.Seq = ReadInt64OrNull(ref reader);
        }
        else if (reader.ValueTextEquals("table"u8))
        {
            fields.Table = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("outcome"u8))
        {
            Next(ref reader);
            fields.Outcome = reader.ValueTextEquals("ok"u8) ? OperationOutcome.Ok
                : reader.ValueTextEquals("fail"u8) ? OperationOutcome.Fail
                : reader.ValueTextEquals("indeterminate"u8) ? OperationOutcome.Indeterminate
                : throw new JsonException("unknown outcome " + reader.GetString());
        }
        else if (reader.ValueTextEquals("error"u8))
        {
            Next(ref reader);
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
        else if (reader.ValueTextEquals("commitLsn"u8))
        {
            fields.CommitLsn = ReadLsn(ref reader);
        }
        else if (reader.ValueTextEquals("read"u8))
        {
            fields.Read = ReadRead(ref reader);
        }
        else if (reader.ValueTextEquals("notices"u8))
        {
            fields.Notices = ReadNotices(ref reader);
        }
        else if (reader.ValueTextEquals("cancelledAtStop"u8))
        {
            Next(ref reader);
            fields.CancelledAtStop = reader.GetBoolean();
        }
        else if (reader.ValueTextEquals("eventId"u8))
        {
            Next(ref reader);
            fields.EventId = reader.GetInt64();
        }
        else if (reader.ValueTextEquals("target"u8))
        {
            fields.Target = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("parameters"u8))
        {
            fields.Parameters = ReadParameters(ref reader);
        }
        else if (reader.ValueTextEquals("ok"u8))
        {
            Next(ref reader);
            fields.Ok = reader.GetBoolean();
        }
        else if (reader.ValueTextEquals("scenario"u8))
        {
            fields.Scenario = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("seed"u8))
        {
            Next(ref reader);
            fields.Seed = reader.GetInt64();
        }
        else if (reader.ValueTextEquals("startedUtc"u8))
        {
            Next(ref reader);
            fields.StartedUtc = reader.GetDateTimeOffset();
        }
        else if (reader.ValueTextEquals("initialPrimary"u8))
        {
            fields.InitialPrimary = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("consistencyModel"u8))
        {
            fields.ConsistencyModel = ReadString(ref reader);
        }
        else if (reader.ValueTextEquals("txn"u8))
        {
            Next(ref reader);
            fields.Txn = MicroOpJsonConverter.ReadTransaction(ref reader);
        }
        else
        {
            Next(ref reader);
            reader.Skip();
        }
    }

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
        if (Next(ref reader) == JsonTokenType.Null)
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
        if (Next(ref reader) == JsonTokenType.Null)
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
        if (Next(ref reader) == JsonTokenType.Null)
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
        var text = ReadString(ref reader);
        if (text is null)
        {
            return null;
        }

        return Lsn.TryParse(text, out var lsn) ? lsn : throw new JsonException($"'{text}' is not an LSN");
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException("expected a string"),
        };
    }

    private static long? ReadInt64OrNull(ref Utf8JsonReader reader) =>
        Next(ref reader) == JsonTokenType.Null ? null : reader.GetInt64();

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
