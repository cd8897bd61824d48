namespace ChaosPg.Cluster.Local;

/// <summary>The OS user PostgreSQL processes run as, and how to run a command as that user.</summary>
/// <param name="Name">User name.</param>
/// <param name="Uid">User id.</param>
/// <param name="Gid">Primary group id.</param>
/// <param name="SwitchUser">True when the harness is root and must drop to this user to run servers.</param>
public sealed record ServerUser(string Name, int Uid, int Gid, bool SwitchUser)
{
    /// <summary>The user servers run as: the harness's own user, or <paramref name="serverUserName"/> when the harness is root.</summary>
    public static ServerUser Resolve(string serverUserName = "postgres")
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return new ServerUser(Environment.UserName, -1, -1, SwitchUser: false);
        }

        var searchPath = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':');
        if (!searchPath.Any(dir => File.Exists(Path.Combine(dir, "setpriv"))))
        {
            throw new ClusterConfigurationException(
                "running as root, the harness drops to the server user with setpriv, which is not on PATH; install util-linux (apt-get install util-linux).");
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == serverUserName)
            {
                return new ServerUser(serverUserName, int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture), SwitchUser: true);
            }
        }

        throw new ClusterConfigurationException(
            $"running as root and there is no '{serverUserName}' OS user to run PostgreSQL as (it refuses root); create it (useradd --system {serverUserName}) or run as an unprivileged user.");
    }

    /// <summary>File name and arguments that run <paramref name="fileName"/> as this user.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Command(string fileName, params IReadOnlyList<string> arguments) =>
        SwitchUser
            ? ("setpriv", [$"--reuid={Name}", $"--regid={Name}", "--init-groups", fileName, .. arguments])
            : (fileName, arguments);

    /// <summary>Gives a path the harness created to this user, so the server can write it.</summary>
    public void Own(string path)
    {
        if (SwitchUser)
        {
            NativeMethods.ChangeOwner(path, Uid, Gid);
        }
    }

    public Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var (file, args) = Command(fileName, arguments);
        return ProcessRunner.RunAsync(file, args, standardInput, environment, cancellationToken);
    }
}
