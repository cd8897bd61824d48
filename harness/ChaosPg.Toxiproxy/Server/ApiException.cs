namespace ChaosPg.Toxiproxy.Server;

/// <summary>An API error to answer with: HTTP status and Toxiproxy's error text.</summary>
internal sealed class ApiException : Exception
{
    public ApiException()
    {
    }

    public ApiException(string message)
        : this(500, message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
    }

    public ApiException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    public static ApiException BadBody(string detail) => new(400, "bad request body: " + detail);

    public static ApiException ProxyNotFound() => new(404, "proxy not found");

    public static ApiException ToxicNotFound() => new(404, "toxic not found");
}
