using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

public class ClusterCommandTests
{
    [TestCase("cluster", "up", "--replicas", "0")]
    [TestCase("cluster", "up", "--replicas", "99")]
    [TestCase("cluster", "up", "--replication", "bogus")]
    [TestCase("cluster", "up", "--pg-bin", "/nowhere/bin")]
    [TestCase("bench", "bringup", "--runs", "0")]
    public async Task Bad_input_exits_with_code_2_before_any_server_starts(params string[] args)
    {
        Assert.That(await Program.Main(args), Is.EqualTo(2));
    }
}
