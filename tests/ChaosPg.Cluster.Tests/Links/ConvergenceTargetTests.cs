using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Tests.Links;

public sealed class ConvergenceTargetTests
{
    [TestCase(0x1_0000_0000UL + 123456UL, 0x1_0000_0000UL + 123456UL, TestName = "A position inside a page is the target itself")]
    [TestCase((3 * 8192UL) + 24, 3 * 8192UL, TestName = "Just past a page header is the page boundary where the last record ended")]
    [TestCase((5 * 16UL * 1024 * 1024) + 40, 5 * 16UL * 1024 * 1024, TestName = "Just past a segment's long header is the segment boundary")]
    [TestCase((3 * 8192UL) + 32, (3 * 8192UL) + 32, TestName = "Past a page header and some data is the target itself")]
    public void The_target_is_the_end_of_the_last_record_before_the_insert_position(ulong insert, ulong expected) =>
        Assert.That(ConvergenceWaiter.EndOfLastRecord(insert), Is.EqualTo(expected));
}
