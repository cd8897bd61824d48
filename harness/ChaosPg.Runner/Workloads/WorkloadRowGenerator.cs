using System.Globalization;
using Bogus;

namespace ChaosPg.Runner.Workloads;

/// <summary>
/// Generates one client's rows with Bogus, seeded from the run seed and the client's index: the same seed gives every
/// client the same rows in the same order, whatever the other clients do. Not thread-safe: one per client.
/// </summary>
public sealed class WorkloadRowGenerator
{
    private readonly WorkloadSchema schema;
    private readonly Faker faker;
    private readonly string idPrefix;
    private long count;

    public WorkloadRowGenerator(WorkloadSchema schema, long seed, int clientIndex)
    {
        ArgumentNullException.ThrowIfNull(schema);
        this.schema = schema;

        // Faker's own seed is an int; fold the 64-bit run seed deterministically (HashCode is randomized per process).
        var folded = unchecked((int)(seed ^ (seed >>> 32)) + (clientIndex * 7919));
        faker = new Faker("en") { Random = new Randomizer(folded) };
        idPrefix = string.Create(CultureInfo.InvariantCulture, $"{seed:x}-{clientIndex}-");
    }

    /// <summary>The next row of this client.</summary>
    public WorkloadRow Next()
    {
        var writeId = idPrefix + (++count).ToString(CultureInfo.InvariantCulture);
        object[] values = schema.Kind == WorkloadSchema.Bank.Kind
            ? [faker.Finance.Iban(), faker.Finance.Iban(), faker.Finance.Amount(1, 5000, 2), faker.Lorem.Sentence(4)]
            : [faker.Name.FullName(), faker.Internet.Email(), faker.Commerce.ProductName(), faker.Random.Int(1, 10), faker.Finance.Amount(1, 1000, 2), faker.Finance.Currency().Code];
        return new WorkloadRow(writeId, [.. values]);
    }
}
