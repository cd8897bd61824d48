using ChaosPg.Toxiproxy.Server;
using FsCheck;
using FsCheck.Fluent;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>The slicer's cuts for any attributes the API accepts, including those that crash a real Toxiproxy.</summary>
public sealed class SlicerCutsProperties
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Pieces_are_never_empty_and_cover_the_chunk_exactly(ushort length, long averageSize, long sizeVariation, int seed)
    {
        var pieces = SlicerCuts.Pieces(length, averageSize, sizeVariation, new Random(seed));

        return (pieces.All(p => p > 0) && pieces.Sum() == length).Label($"pieces {string.Join(',', pieces)}");
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property With_sane_attributes_no_piece_is_longer_than_average_plus_variation_as_in_toxiproxy(ushort length, PositiveInt averageSize, NonNegativeInt sizeVariation, int seed)
    {
        var variation = sizeVariation.Get % averageSize.Get;
        var pieces = SlicerCuts.Pieces(length, averageSize.Get, variation, new Random(seed));

        return pieces.All(p => p <= averageSize.Get + variation || p == 1).Label($"pieces {string.Join(',', pieces)}");
    }

    [Test]
    public void A_chunk_within_average_plus_variation_is_sent_whole()
    {
        Assert.That(SlicerCuts.Pieces(2000, 1000, 1000, new Random(1)), Is.EqualTo(new[] { 2000 }));
    }

    [Test]
    public void Average_size_zero_cuts_down_to_single_bytes_instead_of_overflowing_the_stack()
    {
        Assert.That(SlicerCuts.Pieces(64 * 1024, 0, 0, new Random(1)), Has.Count.EqualTo(64 * 1024).And.All.EqualTo(1));
    }
}
