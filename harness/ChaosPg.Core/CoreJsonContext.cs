using System.Text.Json.Serialization;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core;

/// <summary>Source-generated JSON for history lines, snapshots and verdicts: camelCase, enums as kebab strings, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryLine))]
[JsonSerializable(typeof(FinalState))]
[JsonSerializable(typeof(SuiteResult))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
