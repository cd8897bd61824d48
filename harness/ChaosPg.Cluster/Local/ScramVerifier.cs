using System.Security.Cryptography;
using System.Text;

namespace ChaosPg.Cluster.Local;

/// <summary>
/// Computes a SCRAM-SHA-256 verifier as PostgreSQL stores it, so a password is set without its clear text ever
/// reaching the server (and so no server log can show it).
/// </summary>
internal static class ScramVerifier
{
    private const int Iterations = 4096;

    public static string Compute(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>A fresh random password: hex, so it needs no quoting in a conninfo string or passfile.</summary>
    public static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
}
