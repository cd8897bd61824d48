using System.Diagnostics;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>Each toxic's effect, measured over real loopback TCP through the embedded server.</summary>
public sealed class ToxicBehaviourTests : EmbeddedServerTest
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Proxy_without_toxics_passes_data_both_ways_unchanged()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var payload = new byte[1_000_000];
        Random.Shared.NextBytes(payload);
        var send = probe.SendAsync(payload);
        var echoed = await probe.ReceiveExactlyAsync(payload.Length, Patience);
        await send;

        Assert.That(echoed, Is.EqualTo(payload));
    }

    [Test]
    public async Task Proxy_without_toxics_holds_back_a_side_that_cannot_take_more_and_loses_nothing()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var echoedUnchanged = await EchoWhileHeldBackAsync(probe, () => Task.CompletedTask);

        Assert.That(echoedUnchanged, Is.True);
    }

    [Test]
    public async Task Toxic_added_while_data_is_held_back_keeps_every_byte_in_order_and_applies_after()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var echoedUnchanged = await EchoWhileHeldBackAsync(probe, () => Client.AddToxicAsync("echo", new LatencyToxic { Latency = 20 }));

        Assert.That(echoedUnchanged, Is.True);
        Assert.That(await probe.RoundTripAsync(), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(19)));
    }

    [Test]
    public async Task Latency_is_never_shorter_than_asked_although_timers_run_on_a_coarse_clock()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 3 });

        var shortest = TimeSpan.MaxValue;
        for (var i = 0; i < 100; i++)
        {
            var roundTrip = await probe.RoundTripAsync();
            shortest = roundTrip < shortest ? roundTrip : shortest;
        }

        Assert.That(shortest, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(3)));
    }

    [Test]
    public async Task Upstream_close_passes_on_its_last_data_then_a_clean_close()
    {
        await using var source = LoopbackServer.Source(100_000);
        var proxy = await ProxyAsync("source", source);
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Data, Has.Length.EqualTo(100_000));
        Assert.That(result.Reset, Is.False);
    }

    [Test]
    public async Task Downstream_latency_adds_its_delay_to_a_round_trip()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 200 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var elapsed = await probe.RoundTripAsync();

        Assert.That(elapsed, Is.InRange(TimeSpan.FromMilliseconds(195), TimeSpan.FromMilliseconds(200) + Slack));
    }

    [Test]
    public async Task Latency_on_both_streams_adds_up()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 150, Stream = ToxicDirection.Upstream });
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 150 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var elapsed = await probe.RoundTripAsync();

        Assert.That(elapsed, Is.InRange(TimeSpan.FromMilliseconds(295), TimeSpan.FromMilliseconds(300) + Slack));
    }

    [Test]
    public async Task Jitter_keeps_each_delay_within_latency_plus_or_minus_jitter()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 100, Jitter = 60 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        for (var i = 0; i < 5; i++)
        {
            Assert.That(await probe.RoundTripAsync(), Is.InRange(TimeSpan.FromMilliseconds(38), TimeSpan.FromMilliseconds(160) + Slack));
        }
    }

    [Test]
    public async Task Latency_delays_each_chunk_from_when_it_was_read_so_bulk_data_keeps_flowing_in_order()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 200 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        var payload = new byte[2_000_000];
        Random.Shared.NextBytes(payload);

        var watch = Stopwatch.StartNew();
        var send = probe.SendAsync(payload);
        var echoed = await probe.ReceiveExactlyAsync(payload.Length, Patience);
        await send;
        watch.Stop();

        // Delaying one chunk at a time would take dozens of 200 ms delays; pipelined, it is about one.
        Assert.That(echoed, Is.EqualTo(payload));
        Assert.That(watch.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(195), TimeSpan.FromMilliseconds(1200)));
    }

    [Test]
    public async Task Bandwidth_limits_throughput_to_the_rate_in_kilobytes_per_second()
    {
        await using var source = LoopbackServer.Source(100_000);
        var proxy = await ProxyAsync("source", source);
        await Client.AddToxicAsync("source", new BandwidthToxic { Rate = 200 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var watch = Stopwatch.StartNew();
        var result = await probe.ReadUntilClosedAsync(Patience);
        watch.Stop();

        // 100 000 bytes at 200 000 bytes/s: half a second.
        Assert.That(result.Data, Has.Length.EqualTo(100_000));
        Assert.That(watch.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(500) + (Slack * 2)));
    }

    [Test]
    public async Task Limit_data_passes_exactly_n_bytes_then_closes()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LimitDataToxic { Bytes = 10 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        await probe.SendAsync([.. Enumerable.Range(0, 25).Select(i => (byte)i)]);
        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Data, Is.EqualTo(Enumerable.Range(0, 10).Select(i => (byte)i).ToArray()));
    }

    [Test]
    public async Task Reset_peer_resets_the_connection()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new ResetPeerToxic { Timeout = 100, Stream = ToxicDirection.Upstream });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var watch = Stopwatch.StartNew();
        await probe.SendAsync("ping"u8.ToArray());
        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Reset, Is.True, "expected ECONNRESET");
        Assert.That(result.Data, Is.Empty);
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(95)));
    }

    [Test]
    public async Task Timeout_drops_data_and_closes_after_its_timeout()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new TimeoutToxic { Timeout = 300 });
        var watch = Stopwatch.StartNew();
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        await probe.SendAsync("ping"u8.ToArray());
        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Data, Is.Empty);
        Assert.That(result.Reset, Is.False);
        Assert.That(watch.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(295), TimeSpan.FromMilliseconds(300) + Slack));
    }

    [Test]
    public async Task Timeout_zero_holds_the_connection_until_the_toxic_is_removed()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new TimeoutToxic { Timeout = 0, Name = "hold" });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        await probe.SendAsync("ping"u8.ToArray());

        var held = probe.ReadUntilClosedAsync(Patience);
        await Task.WhenAny(held, Task.Delay(300));
        Assert.That(held.IsCompleted, Is.False, "the connection closed while the timeout toxic held it");

        await Client.DeleteToxicAsync("echo", "hold");
        var result = await held;
        Assert.That(result.Data, Is.Empty);
    }

    [Test]
    public async Task Slow_close_delays_passing_on_the_close()
    {
        await using var source = LoopbackServer.Source(10);
        var proxy = await ProxyAsync("source", source);
        await Client.AddToxicAsync("source", new SlowCloseToxic { Delay = 300 });
        var watch = Stopwatch.StartNew();
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Data, Has.Length.EqualTo(10));
        Assert.That(watch.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(295), TimeSpan.FromMilliseconds(300) + Slack));
    }

    [Test]
    public async Task Slicer_splits_data_into_pieces_of_about_the_average_size()
    {
        await using var source = LoopbackServer.Source(100);
        var proxy = await ProxyAsync("source", source);
        // 100 ms between pieces: the probe sees one piece per read unless it falls that far behind (20 ms was not
        // enough on a loaded machine: two pieces arrived in one read).
        await Client.AddToxicAsync("source", new SlicerToxic { AverageSize = 10, SizeVariation = 2, Delay = 100_000 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Data, Has.Length.EqualTo(100));
        Assert.That(result.ReadSizes, Has.Length.GreaterThanOrEqualTo(8));
        Assert.That(result.ReadSizes, Has.All.LessThanOrEqualTo(12));
    }

    // Attribute sets the real server accepts and then crashes on (stack overflow, rand.Intn panic, slice out of range)
    // once data flows, and the one a real client's test suite uses. The embedded server passes every byte, in order.
    [TestCase(1000, 1000, 1000)]
    [TestCase(0, 0, 0)]
    [TestCase(-5, -7, 0)]
    [TestCase(1, 100, 0)]
    [TestCase(10, 0, 0)]
    public async Task Slicer_with_any_attributes_passes_every_byte_in_order_and_the_server_stays_up(int averageSize, int sizeVariation, int delay)
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new SlicerToxic { AverageSize = averageSize, SizeVariation = sizeVariation, Delay = delay });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        var payload = new byte[5000];
        Random.Shared.NextBytes(payload);

        await probe.SendAsync(payload);
        var echoed = await probe.ReceiveExactlyAsync(payload.Length, Patience);

        Assert.That(echoed, Is.EqualTo(payload));
        Assert.That(await Client.GetVersionAsync(), Is.EqualTo("2.12.0"), "the server still answers");
    }

    [Test]
    public async Task Negative_latency_and_jitter_pass_data_at_once_as_in_toxiproxy()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = -1000, Jitter = -10 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        Assert.That(await probe.RoundTripAsync(), Is.LessThan(TimeSpan.FromMilliseconds(1000)));
    }

    [Test]
    public async Task A_latency_too_large_for_a_timer_holds_the_data_without_failing_the_connection()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Name = "huge", Latency = long.MaxValue, Jitter = 1000 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        await probe.SendAsync([1, 2, 3]);

        // Held, not failed: once the toxic is removed the held chunk goes through.
        Assert.CatchAsync<OperationCanceledException>(() => probe.ReceiveExactlyAsync(3, TimeSpan.FromMilliseconds(300)));
        await Client.DeleteToxicAsync("echo", "huge");
        Assert.That(await probe.ReceiveExactlyAsync(3, Patience), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Toxicity_zero_never_applies_the_toxic()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 2000, Toxicity = 0 });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        Assert.That(await probe.RoundTripAsync(), Is.LessThan(TimeSpan.FromMilliseconds(1000)));
    }

    [Test]
    public async Task Toxic_added_to_a_live_connection_takes_effect_and_removing_it_restores_speed()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        var before = await probe.RoundTripAsync();

        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 300, Name = "slow" });
        var during = await probe.RoundTripAsync();
        await Client.DeleteToxicAsync("echo", "slow");
        var after = await probe.RoundTripAsync();

        Assert.That(before, Is.LessThan(TimeSpan.FromMilliseconds(200)));
        Assert.That(during, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(295)));
        Assert.That(after, Is.LessThan(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public async Task Updating_a_toxic_applies_to_live_connections()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        await Client.AddToxicAsync("echo", new LatencyToxic { Latency = 0, Name = "lag" });
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);
        Assert.That(await probe.RoundTripAsync(), Is.LessThan(TimeSpan.FromMilliseconds(200)));

        await Client.UpdateToxicAsync("echo", "lag", ToxicUpdate.From(new LatencyToxic { Latency = 300 }));

        Assert.That(await probe.RoundTripAsync(), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(295)));
    }

    [Test]
    public async Task Disabling_a_proxy_closes_live_connections_and_refuses_new_ones_until_enabled()
    {
        await using var echo = LoopbackServer.Echo();
        var proxy = await ProxyAsync("echo", echo);
        using var live = await SocketProbe.ConnectAsync(proxy.Listen);
        await live.RoundTripAsync();

        await Client.UpdateProxyAsync("echo", new ProxyUpdate(Enabled: false));

        var result = await live.ReadUntilClosedAsync(Patience);
        Assert.That(result.Data, Is.Empty);
        var refused = Assert.ThrowsAsync<SocketException>(async () => await SocketProbe.ConnectAsync(proxy.Listen));
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));

        var enabled = await Client.UpdateProxyAsync("echo", new ProxyUpdate(Enabled: true));
        Assert.That(enabled.Listen, Is.EqualTo(proxy.Listen));
        using var again = await SocketProbe.ConnectAsync(proxy.Listen);
        Assert.That(await again.RoundTripAsync(), Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Changing_the_upstream_restarts_the_proxy_and_keeps_its_toxics()
    {
        await using var first = LoopbackServer.Echo();
        await using var second = LoopbackServer.Source(7);
        var proxy = await ProxyAsync("p", first);
        await Client.AddToxicAsync("p", new LimitDataToxic { Bytes = 5 });
        using var live = await SocketProbe.ConnectAsync(proxy.Listen);

        var updated = await Client.UpdateProxyAsync("p", new ProxyUpdate(Upstream: second.Address));

        Assert.That((await live.ReadUntilClosedAsync(Patience)).Data, Is.Empty, "live connections close on restart");
        Assert.That(updated.Toxics, Has.Length.EqualTo(1));
        using var probe = await SocketProbe.ConnectAsync(updated.Listen);
        Assert.That((await probe.ReadUntilClosedAsync(Patience)).Data, Has.Length.EqualTo(5));
    }

    [Test]
    public async Task Upstream_that_refuses_closes_the_client_connection()
    {
        LoopbackServer gone = LoopbackServer.Echo();
        var address = gone.Address;
        await gone.DisposeAsync();
        var proxy = await Client.CreateProxyAsync(new ProxyDefinition("dead", address, "127.0.0.1:0"));
        using var probe = await SocketProbe.ConnectAsync(proxy.Listen);

        var result = await probe.ReadUntilClosedAsync(Patience);

        Assert.That(result.Data, Is.Empty);
    }

    /// <summary>
    /// Sends more through an echo proxy than every socket buffer on the way there and back holds, so both directions
    /// back up while nobody reads; runs <paramref name="meanwhile"/>, then reads it all back. True when it came back unchanged.
    /// </summary>
    private static async Task<bool> EchoWhileHeldBackAsync(SocketProbe probe, Func<Task> meanwhile)
    {
        var payload = new byte[64_000_000];
        Random.Shared.NextBytes(payload);
        var send = probe.SendAsync(payload);
        await Task.Delay(500);
        await meanwhile();
        var echoed = await probe.ReceiveExactlyAsync(payload.Length, Patience);
        await send;
        return echoed.AsSpan().SequenceEqual(payload);
    }
}
