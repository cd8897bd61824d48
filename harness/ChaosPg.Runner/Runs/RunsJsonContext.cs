using System.Text.Json.Serialization;
using ChaosPg.Core;
using ChaosPg.Runner.Reports;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Runs;

/// <summary>Source-generated JSON for the run folder's files: camelCase, enums as kebab strings, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    Converters = [typeof(KebabCaseEnumConverter<ToxiproxyKind>)])]
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(RunResults))]
[JsonSerializable(typeof(ReplicationSample))]
[JsonSerializable(typeof(SuiteManifest))]
internal sealed partial class RunsJsonContext : JsonSerializerContext;
