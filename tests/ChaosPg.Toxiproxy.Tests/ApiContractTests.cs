using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>The embedded server's HTTP contract, checked with a raw HttpClient against Toxiproxy 2.12.0's documented answers.</summary>
public sealed class ApiContractTests : EmbeddedServerTest
{
    private HttpClient Http { get; set; } = null!;

    [SetUp]
    public void CreateHttp() => Http = new HttpClient { BaseAddress = Server.ApiUri };

    [TearDown]
    public void DisposeHttp() => Http.Dispose();

    [Test]
    public async Task Version_is_json_with_a_space_after_the_colon_and_a_trailing_newline()
    {
        using var response = await Http.GetAsync("/version");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json; charset=utf-8").Or.EqualTo("application/json;charset=utf-8"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"{{\"version\": \"{Server.Version}\"}}\n"));
        Assert.That(response.Headers.Contains("X-Toxiproxy-Request-Id"), Is.True);
    }

    [Test]
    public async Task Version_is_exactly_the_real_servers_and_a_header_says_the_server_is_embedded()
    {
        using var response = await Http.GetAsync("/version");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"version\": \"2.12.0\"}\n"), "a pre-release such as 2.12.0-chaospg sorts below 2.12.0 for a client gating on the version");
        Assert.That(response.Headers.GetValues(ToxiproxyServerIdentity.HeaderName), Is.EqualTo(new[] { "embedded" }));
        Assert.That((await Client.GetServerAsync()).Display, Is.EqualTo("2.12.0 (chaospg embedded server)"));
    }

    // Attribute sets Toxiproxy 2.12.0 accepts (it validates no range), among them the one a real client's test suite
    // sends (slicer 1000/1000/1000) and the ones on which the real server crashes once data flows. Each is echoed back.
    [TestCase("slicer", """{"average_size":1000,"size_variation":1000,"delay":1000}""")]
    [TestCase("slicer", """{"average_size":0,"size_variation":0,"delay":0}""")]
    [TestCase("slicer", """{"average_size":-5,"size_variation":-7,"delay":-1}""")]
    [TestCase("slicer", """{"average_size":1,"size_variation":100,"delay":0}""")]
    [TestCase("latency", """{"latency":-100,"jitter":-3}""")]
    [TestCase("latency", """{"latency":9223372036854775807,"jitter":9223372036854775807}""")]
    [TestCase("bandwidth", """{"rate":-1}""")]
    [TestCase("slow_close", """{"delay":-1}""")]
    [TestCase("timeout", """{"timeout":-1}""")]
    [TestCase("reset_peer", """{"timeout":-1}""")]
    [TestCase("limit_data", """{"bytes":-1}""")]
    public async Task Every_integer_attribute_set_the_real_server_accepts_is_accepted_and_echoed(string type, string attributes)
    {
        await CreateProxyAsync("a");

        using var response = await PostAsync("/proxies/a/toxics", $$"""{"type":"{{type}}","attributes":{{attributes}}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($$"""{"attributes":{{attributes}},"name":"{{type}}_downstream","type":"{{type}}","stream":"downstream","toxicity":1}"""));
    }

    [Test]
    public async Task Unknown_path_is_404_text_without_request_id()
    {
        using var response = await Http.GetAsync("/nothing/here");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("404 page not found\n"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(response.Headers.Contains("X-Toxiproxy-Request-Id"), Is.False);
    }

    [Test]
    public async Task Wrong_method_is_405_with_an_empty_body()
    {
        using var response = await Http.PutAsync("/proxies", new StringContent("{}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
    }

    [Test]
    public async Task Browser_user_agent_is_refused_with_403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/proxies");
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)");

        using var response = await Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("User agent not allowed\n"));
    }

    [Test]
    public async Task Create_is_201_with_the_bound_listen_address_and_a_Logger_key()
    {
        using var response = await PostAsync("/proxies", """{"name":"a","listen":"localhost:0","upstream":"127.0.0.1:1"}""");
        var json = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(json, Does.StartWith("""{"name":"a","listen":"127.0.0.1:"""));
        Assert.That(json, Does.EndWith(""","upstream":"127.0.0.1:1","enabled":true,"Logger":{},"toxics":[]}"""));
    }

    [Test]
    public async Task Duplicate_proxy_is_409_with_a_json_error_body_sent_as_text_plain()
    {
        (await PostAsync("/proxies", """{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}""")).Dispose();

        using var response = await PostAsync("/proxies", """{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}""");

        await AssertErrorAsync(response, HttpStatusCode.Conflict, "proxy already exists");
    }

    [TestCase("", "bad request body: EOF")]
    [TestCase("""{"name":"a","upstream":"x:1" """, "bad request body: unexpected EOF")]
    [TestCase("""{"upstream":"127.0.0.1:1"}""", "missing required field: name")]
    [TestCase("""{"name":"a"}""", "missing required field: upstream")]
    [TestCase("""{"name":5,"upstream":"127.0.0.1:1"}""", "bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string")]
    public async Task Bad_create_requests_are_400_with_toxiproxy_error_texts(string body, string error)
    {
        using var response = await PostAsync("/proxies", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    [Test]
    public async Task Create_on_a_port_in_use_is_500_with_the_bind_error_and_no_proxy()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var listen = taken.LocalEndpoint.ToString();

        using var response = await PostAsync("/proxies", $$"""{"name":"a","listen":"{{listen}}","upstream":"127.0.0.1:1"}""");

        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, $"listen tcp {listen}: bind: address already in use");
        Assert.That(await Http.GetStringAsync("/proxies"), Is.EqualTo("{}"));
    }

    [Test]
    public async Task Unknown_proxy_and_toxic_are_404()
    {
        using var proxy = await Http.GetAsync("/proxies/none");
        await AssertErrorAsync(proxy, HttpStatusCode.NotFound, "proxy not found");

        await CreateProxyAsync("a");
        using var toxic = await Http.GetAsync("/proxies/a/toxics/none");
        await AssertErrorAsync(toxic, HttpStatusCode.NotFound, "toxic not found");
        using var delete = await Http.DeleteAsync("/proxies/a/toxics/none");
        await AssertErrorAsync(delete, HttpStatusCode.NotFound, "toxic not found");
    }

    [Test]
    public async Task Add_toxic_is_200_with_defaults_name_from_the_stream_as_sent_and_toxicity_one()
    {
        await CreateProxyAsync("a");

        using var response = await PostAsync("/proxies/a/toxics", """{"type":"latency","stream":"UPSTREAM","attributes":{"latency":1000}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(
            await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"attributes":{"latency":1000,"jitter":0},"name":"latency_UPSTREAM","type":"latency","stream":"UPSTREAM","toxicity":1}"""));
    }

    [Test]
    public async Task Stream_defaults_to_downstream_and_toxicity_zero_is_kept()
    {
        await CreateProxyAsync("a");

        using var response = await PostAsync("/proxies/a/toxics", """{"type":"noop","toxicity":0}""");

        Assert.That(
            await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"attributes":{},"name":"noop_downstream","type":"noop","stream":"downstream","toxicity":0}"""));
    }

    [TestCase("""{"type":"latency","stream":"sideways"}""", HttpStatusCode.BadRequest, "stream was invalid, can be either upstream or downstream")]
    [TestCase("""{"type":"down"}""", HttpStatusCode.BadRequest, "invalid toxic type")]
    [TestCase("""{"type":"Latency"}""", HttpStatusCode.BadRequest, "invalid toxic type")]
    [TestCase("""{"type":"latency","attributes":{"latency":1.5}}""", HttpStatusCode.BadRequest, "bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64")]
    [TestCase("""{"type":"latency","attributes":{"latency":"5"}}""", HttpStatusCode.BadRequest, "bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64")]
    [TestCase("""{"type":"slicer","attributes":{"average_size":1.5}}""", HttpStatusCode.BadRequest, "bad request body: json: cannot unmarshal number 1.5 into Go struct field SlicerToxic.attributes.average_size of type int")]
    public async Task Bad_toxics_are_refused_with_toxiproxy_error_texts(string body, HttpStatusCode status, string error)
    {
        await CreateProxyAsync("a");

        using var response = await PostAsync("/proxies/a/toxics", body);

        await AssertErrorAsync(response, status, error);
        Assert.That(await Http.GetStringAsync("/proxies/a/toxics"), Is.EqualTo("[]"));
    }

    [Test]
    public async Task Toxic_names_are_unique_across_both_streams()
    {
        await CreateProxyAsync("a");
        (await PostAsync("/proxies/a/toxics", """{"name":"t","type":"latency","stream":"upstream"}""")).Dispose();

        using var response = await PostAsync("/proxies/a/toxics", """{"name":"t","type":"latency","stream":"downstream"}""");

        await AssertErrorAsync(response, HttpStatusCode.Conflict, "toxic already exists");
    }

    [Test]
    public async Task Toxic_update_merges_attributes_and_keeps_toxicity_when_left_out()
    {
        await CreateProxyAsync("a");
        (await PostAsync("/proxies/a/toxics", """{"name":"t","type":"latency","toxicity":0.5,"attributes":{"latency":100,"jitter":1}}""")).Dispose();

        using var request = new HttpRequestMessage(HttpMethod.Patch, "/proxies/a/toxics/t") { Content = new StringContent("""{"attributes":{"jitter":5},"type":"bandwidth","stream":"upstream"}""") };
        using var response = await Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(
            await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"attributes":{"latency":100,"jitter":5},"name":"t","type":"latency","stream":"downstream","toxicity":0.5}"""));
    }

    [Test]
    public async Task Proxy_lists_upstream_toxics_before_downstream_ones()
    {
        await CreateProxyAsync("a");
        (await PostAsync("/proxies/a/toxics", """{"name":"d1","type":"noop"}""")).Dispose();
        (await PostAsync("/proxies/a/toxics", """{"name":"u1","type":"noop","stream":"upstream"}""")).Dispose();
        (await PostAsync("/proxies/a/toxics", """{"name":"d2","type":"noop"}""")).Dispose();

        using var document = JsonDocument.Parse(await Http.GetStringAsync("/proxies"));

        var names = document.RootElement.GetProperty("a").GetProperty("toxics").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.That(names, Is.EqualTo(new[] { "u1", "d1", "d2" }));
    }

    [Test]
    public async Task Deletes_are_204_with_an_empty_body()
    {
        await CreateProxyAsync("a");
        (await PostAsync("/proxies/a/toxics", """{"name":"t","type":"noop"}""")).Dispose();

        using var toxic = await Http.DeleteAsync("/proxies/a/toxics/t");
        using var proxy = await Http.DeleteAsync("/proxies/a");

        Assert.That(toxic.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(proxy.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await proxy.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(await Http.GetStringAsync("/proxies"), Is.EqualTo("{}"));
    }

    [Test]
    public async Task Proxy_created_disabled_keeps_its_listen_string_until_started()
    {
        using var response = await PostAsync("/proxies", """{"name":"a","listen":"localhost:0","upstream":"127.0.0.1:1","enabled":false}""");

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"listen\":\"localhost:0\"").And.Contain("\"enabled\":false"));
    }

    [Test]
    public async Task Reset_enables_every_proxy_and_removes_every_toxic_without_deleting_proxies()
    {
        (await PostAsync("/proxies", """{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:1","enabled":false}""")).Dispose();
        await CreateProxyAsync("b");
        (await PostAsync("/proxies/b/toxics", """{"type":"latency"}""")).Dispose();

        using var response = await Http.PostAsync("/reset", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var document = JsonDocument.Parse(await Http.GetStringAsync("/proxies"));
        foreach (var name in new[] { "a", "b" })
        {
            var proxy = document.RootElement.GetProperty(name);
            Assert.That(proxy.GetProperty("enabled").GetBoolean(), Is.True);
            Assert.That(proxy.GetProperty("toxics").GetArrayLength(), Is.Zero);
        }
    }

    [Test]
    public async Task Populate_creates_keeps_unchanged_proxies_with_their_toxics_and_replaces_changed_ones_without()
    {
        using var first = await PostAsync("/populate", """[{"name":"same","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"},{"name":"moved","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}]""");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(first.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        using var created = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var sameListen = created.RootElement.GetProperty("proxies")[0].GetProperty("listen").GetString();
        var movedListen = created.RootElement.GetProperty("proxies")[1].GetProperty("listen").GetString();
        (await PostAsync("/proxies/same/toxics", """{"type":"noop"}""")).Dispose();
        (await PostAsync("/proxies/moved/toxics", """{"type":"noop"}""")).Dispose();

        using var second = await PostAsync("/populate", $$"""[{"name":"same","listen":"{{sameListen}}","upstream":"127.0.0.1:1","enabled":false},{"name":"moved","listen":"{{movedListen}}","upstream":"127.0.0.1:2"}]""");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using var document = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        var same = document.RootElement.GetProperty("proxies")[0];
        var moved = document.RootElement.GetProperty("proxies")[1];
        Assert.That(same.GetProperty("toxics").GetArrayLength(), Is.EqualTo(1), "an unchanged proxy keeps its toxics");
        Assert.That(same.GetProperty("enabled").GetBoolean(), Is.True, "the enabled sent for an unchanged proxy is ignored");
        Assert.That(moved.GetProperty("toxics").GetArrayLength(), Is.Zero, "a replaced proxy loses its toxics");
        Assert.That(moved.GetProperty("upstream").GetString(), Is.EqualTo("127.0.0.1:2"));
    }

    [Test]
    public async Task Populate_with_an_empty_array_answers_null_proxies()
    {
        using var response = await PostAsync("/populate", "[]");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"proxies":null}"""));
    }

    [Test]
    public async Task Populate_validates_every_entry_before_changing_anything()
    {
        using var response = await PostAsync("/populate", """[{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"},{"name":"b","listen":"127.0.0.1:0"}]""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"missing required field: upstream at proxy 2","status":400,"proxies":null}"""));
        Assert.That(await Http.GetStringAsync("/proxies"), Is.EqualTo("{}"));
    }

    [Test]
    public async Task Populate_failing_part_way_is_500_with_the_proxies_done_so_far_kept()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();

        using var response = await PostAsync("/populate", $$"""[{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"},{"name":"b","listen":"{{taken.LocalEndpoint}}","upstream":"127.0.0.1:1"}]""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(document.RootElement.GetProperty("error").GetString(), Does.Contain("bind: address already in use"));
        Assert.That(document.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(500));
        Assert.That(document.RootElement.GetProperty("proxies").GetArrayLength(), Is.EqualTo(1));
        Assert.That(await Http.GetStringAsync("/proxies"), Does.Contain("\"a\""));
    }

    [Test]
    public async Task Populate_with_an_object_instead_of_an_array_is_400()
    {
        using var response = await PostAsync("/populate", """{"name":"a"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("""{"error":"bad request body: json: cannot unmarshal object into Go value of type"""));
    }

    [Test]
    public async Task Deprecated_post_updates_a_proxy_like_patch()
    {
        await CreateProxyAsync("a");

        using var response = await PostAsync("/proxies/a", """{"enabled":false}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"enabled\":false"));
    }

    private async Task CreateProxyAsync(string name)
    {
        using var response = await PostAsync("/proxies", $$"""{"name":"{{name}}","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(document.RootElement.GetProperty("error").GetString(), Is.EqualTo(error));
        Assert.That(document.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
    }
}
