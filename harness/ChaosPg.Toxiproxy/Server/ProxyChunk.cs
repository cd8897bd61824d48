namespace ChaosPg.Toxiproxy.Server;

/// <summary>Data read from a link's source, waiting for its toxics; a null buffer marks the source's close.</summary>
/// <param name="Buffer">A pooled copy of the data, or null at end of stream.</param>
/// <param name="Length">Bytes of data in the buffer.</param>
/// <param name="Timestamp">When it was read (Stopwatch ticks): latency counts from here.</param>
internal readonly record struct ProxyChunk(byte[]? Buffer, int Length, long Timestamp);
