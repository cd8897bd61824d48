using System.Collections.Immutable;

namespace ChaosPg.Runner.Targets;

/// <summary>The keys of a target file (docs/targets.md), shared by the parser, the writer and the compatibility check.</summary>
internal static class TargetKeys
{
    public const string Name = "name";
    public const string OwnIt = "i-own-this-cluster";
    public const string SchemaPrefix = "schema-prefix";
    public const string Variables = "vars";
    public const string Commands = "commands";
    public const string Nodes = "nodes";
    public const string Toxiproxy = "toxiproxy";
    public const string Manager = "manager";

    public const string Client = "client";
    public const string Admin = "admin";
    public const string ApplicationName = "application-name";

    public const string Connection = "connection";
    public const string PasswordEnv = "password-env";
    public const string Password = "password";

    public const string Url = "url";
    public const string Links = "links";
    public const string Rest = "rest";

    public static readonly ImmutableArray<string> TopLevel = [Name, OwnIt, SchemaPrefix, Variables, Commands, Nodes, Toxiproxy, Manager];
    public static readonly ImmutableArray<string> NodeKeys = [Client, Admin, ApplicationName, Variables, Commands];

    // password is accepted as a key only to say why it must not be there.
    public static readonly ImmutableArray<string> ConnectionKeys = [Connection, PasswordEnv, Password];
    public static readonly ImmutableArray<string> ToxiproxyKeys = [Url, Links];
    public static readonly ImmutableArray<string> ManagerKeys = [Rest];

    public static string Node(string name) => $"{Nodes}.{name}";

    public static string NodeCommand(string name, string command) => $"{Nodes}.{name}.{Commands}.{command}";
}
