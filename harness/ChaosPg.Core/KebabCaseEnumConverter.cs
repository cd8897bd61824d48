using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChaosPg.Core;

/// <summary>Writes enum values as lower-case kebab strings ("wait-converged"), the spelling used in history files.</summary>
public sealed class KebabCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public KebabCaseEnumConverter()
        : base(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    {
    }
}
