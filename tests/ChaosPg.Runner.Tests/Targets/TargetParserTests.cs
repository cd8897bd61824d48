using ChaosPg.Cluster.Target;
using ChaosPg.Runner.Targets;

namespace ChaosPg.Runner.Tests.Targets;

public class TargetParserTests
{
    [Test]
    public void A_valid_target_file_gives_every_node_its_connections_commands_and_placeholders()
    {
        var result = TargetParser.Parse(TargetText.Build(), TargetText.File);

        Assert.That(result.Errors, Is.Empty);
        var target = result.Target!;
        Assert.That(target.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "primary", "replica1", "replica2" }));
        var replica1 = target.Node("replica1")!;
        Assert.That(replica1.Admin, Is.EqualTo(new TargetConnection("Host=127.0.0.1;Port=5433;Username=postgres;Database=shop", "PGPASS_ADMIN")));
        Assert.That(replica1.Commands[TargetCommands.Kill], Is.EqualTo("docker kill -s KILL {container}"));
        Assert.That(TargetCommandLine.Expand(replica1.Commands[TargetCommands.Kill], replica1.Name, replica1.Variables), Is.EqualTo("docker kill -s KILL pg-replica1"));
        Assert.That(target.Toxiproxy!.Links["replica1->primary"], Is.EqualTo("pg-replica1-wal"));
        Assert.That(target.OwnershipConfirmed, Is.True);
    }

    [Test]
    public void A_parsed_target_carries_the_sha256_of_its_text_which_any_change_alters()
    {
        var text = TargetText.Build();

        var hash = TargetParser.Parse(text, TargetText.File).Target!.ContentSha256;

        Assert.That(hash, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))));
        Assert.That(TargetParser.Parse(text + "# a comment\n", TargetText.File).Target!.ContentSha256, Is.Not.EqualTo(hash));
    }

    [Test]
    public void A_password_written_into_a_connection_string_is_an_error_at_its_line()
    {
        var text = TargetText.Build(nodes: TargetText.Node("primary", 5432).Replace("Username=postgres;", "Username=postgres;Password=hunter2;", StringComparison.Ordinal) + TargetText.Node("replica1", 5433));

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors, Has.Length.EqualTo(1));
        Assert.That(errors[0].ToString(), Does.StartWith($"{TargetText.File}:{LineOf(text, "Password=hunter2")}:").And.Contain("a password is written into the target file").And.Contain("password-env"));
        Assert.That(errors[0].ToString(), Does.Not.Contain("hunter2"), "an error message must not repeat the secret");
    }

    [Test]
    public void A_password_key_is_an_error_that_names_password_env()
    {
        var text = TargetText.Build(nodes: TargetText.Node("primary", 5432).Replace("      password-env: PGPASS_ADMIN", "      password: hunter2", StringComparison.Ordinal));

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors.Select(e => e.ToString()), Has.Some.StartWith($"{TargetText.File}:{LineOf(text, "password: hunter2")}:").And.Some.Contain("name the environment variable that holds it with password-env"));
    }

    [Test]
    public void An_unknown_fault_command_is_an_error_at_its_line_that_lists_the_known_ones()
    {
        var text = TargetText.Build(commands: "commands:\n  kill: docker kill {container}\n  freeze: docker pause {container}\n");

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors, Has.Length.EqualTo(1));
        Assert.That(errors[0].ToString(), Is.EqualTo($"{TargetText.File}:4:11: unknown fault command 'freeze'; expected one of: kill, start, pause, resume, restart, promote, rejoin"));
    }

    [Test]
    public void A_file_without_a_node_named_primary_is_an_error()
    {
        var text = TargetText.Build(nodes: TargetText.Node("replica1", 5433));

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.StartWith("nodes has no node named primary"));
    }

    [Test]
    public void A_node_name_scenarios_cannot_use_is_an_error()
    {
        var errors = TargetParser.Parse(TargetText.Build(nodes: TargetText.Node("primary", 5432) + TargetText.Node("standby", 5433)), TargetText.File).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.StartWith("node name 'standby' is not one scenarios use"));
    }

    [Test]
    public void A_placeholder_without_a_value_is_an_error_that_says_where_to_set_it()
    {
        var text = TargetText.Build(commands: "commands:\n  kill: kubectl delete pod {pod} --grace-period=0 --force\n");

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors.Select(e => e.ToString()), Has.Some.StartWith($"{TargetText.File}:3:9: the kill command uses {{pod}}, which node primary has no value for"));
    }

    [Test]
    public void A_value_the_shell_would_read_twice_is_an_error()
    {
        var text = TargetText.Build(nodes: TargetText.Node("primary", 5432).Replace("container: pg-primary", "container: \"pg; rm -rf /\"", StringComparison.Ordinal));

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.Contain("would be read by the shell"));
    }

    [Test]
    public void A_link_between_nodes_the_file_does_not_have_is_an_error()
    {
        var errors = TargetParser.Parse(TargetText.Build(toxiproxy: "toxiproxy:\n  url: http://127.0.0.1:8474\n  links:\n    replica9->primary: x\n"), TargetText.File).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.StartWith("'replica9->primary' is not a link of this target"));
    }

    [Test]
    public void Every_mistake_of_a_file_is_reported_at_once()
    {
        var text = TargetText.Build(top: "i-own-this-cluster: maybe\ncolour: blue\n", commands: "commands:\n  explode: boom\n");

        var errors = TargetParser.Parse(text, TargetText.File).Errors;

        Assert.That(errors.Select(e => e.Line), Is.EqualTo(new[] { 1, 2, 4 }));
    }

    [Test]
    public void A_written_target_file_reads_back_to_the_same_target()
    {
        var target = TargetParser.Parse(TargetText.Build(), TargetText.File).Target!;

        var reread = TargetParser.Parse(TargetWriter.Write(target, ["a header"]), TargetText.File);

        Assert.That(reread.Errors, Is.Empty);
        Assert.That(TargetWriter.Write(reread.Target!), Is.EqualTo(TargetWriter.Write(target)));
        Assert.That(reread.Target!.Nodes.Select(n => n.Commands.Count), Is.EqualTo(target.Nodes.Select(n => n.Commands.Count)));
    }

    private static int LineOf(string text, string fragment) =>
        text.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(fragment, StringComparison.Ordinal)).i + 1;
}
