using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>
/// The data path of connections without toxics (Linux): one thread waits in epoll on every such socket and copies what
/// a socket has to the other side with non-blocking recv/send, through one buffer, with no thread-pool hop, task or
/// allocation per chunk. Level-triggered: one recv per readiness, and a side whose data the other side cannot take yet
/// (send would block) is not read until that data has gone. Once a toxic is added, the connection is handed to its
/// <see cref="ProxyLink"/>s, with what the relay holds for them, and never comes back.
/// An error while serving one connection closes that connection only. Should epoll itself fail, the relay hands every
/// connection it carries to its links, and new connections bypass it.
/// </summary>
internal sealed class SocketRelay : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private const int MaxEvents = 256;
    private const int ClientSide = 0;
    private const int UpstreamSide = 1;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly ILogger _logger;
    private readonly int _epoll;
    private readonly SafeFileHandle _wake;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<(Command Kind, object Subject)> _commands = new();
    private readonly Dictionary<ProxyConnection, Entry> _entries = [];
    private readonly List<Registration?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly byte[] _buffer = new byte[BufferSize];
    private uint _generation;
    private volatile bool _stopping;
    private volatile bool _failed;
    private int _stopped;
    private int _disposed;

    private SocketRelay(ILogger logger)
    {
        _logger = logger;
        _epoll = LinuxSockets.CreateEpoll();
        _wake = LinuxSockets.CreateEventFd();
        if (!LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, _wake, LinuxSockets.EpollIn, WakeToken))
        {
            throw new IOException($"epoll_ctl failed: errno {LinuxSockets.Errno}");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "toxiproxy relay" };
        _thread.Start();
    }

    private enum Command
    {
        Connect,
        Add,
        HandOver,
        Remove,
    }

    /// <summary>A relay on Linux; null elsewhere, where every connection runs through its <see cref="ProxyLink"/>s.</summary>
    public static SocketRelay? TryCreate(ILogger logger) => LinuxSockets.IsSupported ? new SocketRelay(logger) : null;

    /// <summary>False once the relay has stopped or failed: new connections go through their links instead.</summary>
    public bool IsAvailable => !_failed && Volatile.Read(ref _stopped) == 0;

    /// <summary>
    /// Connects a new socket (no delay, non-blocking) to the first of <paramref name="host"/>'s addresses that takes
    /// it. The relay waits for the connect, so that .NET's socket engine never registers the socket: it would otherwise
    /// wake (and, unless completions run inline, post to the thread pool) at every event of a relayed connection.
    /// </summary>
    public async Task<Socket> ConnectAsync(string host, int port)
    {
        IPAddress[] addresses = IPAddress.TryParse(host, out var address) ? [address] : await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        var failure = new SocketException((int)SocketError.HostNotFound);
        foreach (var candidate in addresses)
        {
            var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
            try
            {
                try
                {
                    socket.Connect(new IPEndPoint(candidate, port));
                }
                catch (SocketException exception) when (exception.SocketErrorCode == SocketError.WouldBlock)
                {
                    var connecting = new Connecting(socket);
                    Enqueue(Command.Connect, connecting);
                    await connecting.Completion.Task.ConfigureAwait(false);
                }

                return socket;
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                failure = exception;
            }
        }

        throw failure;
    }

    /// <summary>Starts relaying a connection that has no toxic (or hands it over at once if one came meanwhile).</summary>
    public void Add(ProxyConnection connection) => Enqueue(Command.Add, connection);

    /// <summary>A toxic was added: the connection's links take over from the relay.</summary>
    public void HandOver(ProxyConnection connection) => Enqueue(Command.HandOver, connection);

    /// <summary>The connection has closed its sockets: forget it.</summary>
    public void Remove(ProxyConnection connection) => Enqueue(Command.Remove, connection);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        LinuxSockets.Signal(_wake);
        _thread.Join();
        _wake.Dispose();
        LinuxSockets.CloseFd(_epoll);
    }

    private void Enqueue(Command kind, object subject)
    {
        _commands.Enqueue((kind, subject));
        if (Volatile.Read(ref _stopped) != 0)
        {
            // The relay's thread has ended: nothing will run this command.
            AbandonCommands();
        }
        else if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            try
            {
                LinuxSockets.Signal(_wake);
            }
            catch (ObjectDisposedException)
            {
                AbandonCommands();
            }
        }
    }

    /// <summary>
    /// Once the relay has stopped: fails the connects queued for it, and closes the connections queued for it (after a
    /// failure, gives new ones to their links: any connection it carried was handed over already).
    /// </summary>
    private void AbandonCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            if (command.Subject is not ProxyConnection connection)
            {
                ((Connecting)command.Subject).Completion.TrySetException(new SocketException((int)SocketError.OperationAborted));
            }
            else if (!_failed)
            {
                connection.Close();
            }
            else if (command.Kind == Command.Add)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ => connection.RunLinks(null, null), null);
            }
        }
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception exception)
        {
            _failed = true;
            ServerLog.RelayFailed(_logger, exception.Message);
        }

        foreach (var registration in _slots.ToList())
        {
            if (registration is Entry entry)
            {
                if (_failed)
                {
                    HandOver(entry, -1, 0);
                }
                else
                {
                    Close(entry);
                }
            }
            else if (registration is Connecting connecting)
            {
                connecting.Completion.TrySetException(new SocketException((int)SocketError.OperationAborted));
            }
        }

        // A command queued after the flag is set is abandoned by whoever queued it; one queued before, here.
        Interlocked.Exchange(ref _stopped, 1);
        AbandonCommands();
    }

    private void Loop()
    {
        var events = new byte[MaxEvents * LinuxSockets.EpollEventSize];
        while (!_stopping)
        {
            var count = LinuxSockets.Wait(_epoll, events, -1);
            if (count < 0)
            {
                var errno = LinuxSockets.Errno;
                if (errno == LinuxSockets.EIntr)
                {
                    continue;
                }

                throw new IOException($"epoll_wait failed: errno {errno}");
            }

            for (var i = 0; i < count; i++)
            {
                var data = LinuxSockets.DataAt(events, i);
                if (data == WakeToken)
                {
                    LinuxSockets.Drain(_wake);
                    continue;
                }

                // An event may be stale: its connection left the relay earlier in this batch.
                var registration = _slots[(int)((uint)data >> 1)];
                if (registration is null || registration.Generation != (uint)(data >> 32))
                {
                    continue;
                }

                try
                {
                    if (registration is Entry entry)
                    {
                        OnEvent(entry, (int)(data & 1), LinuxSockets.EventsAt(events, i));
                    }
                    else
                    {
                        OnConnected((Connecting)registration);
                    }
                }
                catch (Exception exception)
                {
                    Fail(registration, exception);
                }
            }

            RunCommands();
        }
    }

    /// <summary>Serving one connection (or connect) threw: that one alone fails.</summary>
    private void Fail(Registration registration, Exception exception)
    {
        if (registration is Entry entry)
        {
            ServerLog.RelayConnectionFailed(_logger, entry.Connection.ProxyName, exception.Message);
            Close(entry);
        }
        else
        {
            var connecting = (Connecting)registration;
            Vacate(connecting);
            connecting.Socket.Dispose();
            // The proxy closes the client, as when the upstream cannot be reached.
            connecting.Completion.TrySetException(exception as SocketException ?? new SocketException((int)SocketError.ConnectionAborted));
        }
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            try
            {
                RunCommand(command.Kind, command.Subject);
            }
            catch (Exception exception)
            {
                if (command.Subject is Connecting connecting)
                {
                    Fail(connecting, exception);
                }
                else if (_entries.TryGetValue((ProxyConnection)command.Subject, out var entry))
                {
                    Fail(entry, exception);
                }
                else
                {
                    var connection = (ProxyConnection)command.Subject;
                    ServerLog.RelayConnectionFailed(_logger, connection.ProxyName, exception.Message);
                    connection.Close();
                }
            }
        }
    }

    private void RunCommand(Command kind, object subject)
    {
        if (kind == Command.Connect)
        {
            WatchConnect((Connecting)subject);
            return;
        }

        var connection = (ProxyConnection)subject;
        if (kind == Command.Add)
        {
            if (connection.HandOverRequested)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ => connection.RunLinks(null, null), null);
            }
            else if (!connection.IsClosed)
            {
                Register(connection);
            }
        }
        else if (_entries.TryGetValue(connection, out var entry))
        {
            if (kind == Command.HandOver)
            {
                HandOver(entry, -1, 0);
            }
            else
            {
                Discard(entry);
            }
        }
    }

    private void Register(ProxyConnection connection)
    {
        var entry = new Entry(connection);
        Occupy(entry);
        _entries.Add(connection, entry);
        try
        {
            if (!LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, connection.Client.SafeHandle, LinuxSockets.EpollIn, entry.Token(ClientSide))
                || !LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, connection.Upstream.SafeHandle, LinuxSockets.EpollIn, entry.Token(UpstreamSide)))
            {
                Close(entry);
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile.
            Close(entry);
        }
    }

    private void WatchConnect(Connecting connecting)
    {
        Occupy(connecting);
        try
        {
            if (LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, connecting.Socket.SafeHandle, LinuxSockets.EpollOut, connecting.Token(0)))
            {
                return;
            }

            connecting.Completion.TrySetException(new SocketException(LinuxSockets.Errno));
        }
        catch (ObjectDisposedException)
        {
            connecting.Completion.TrySetException(new SocketException((int)SocketError.OperationAborted));
        }

        Vacate(connecting);
    }

    /// <summary>The connect finished (writable, or failed): SO_ERROR says how.</summary>
    private void OnConnected(Connecting connecting)
    {
        Vacate(connecting);
        var socket = connecting.Socket;
        _ = LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlDel, socket.SafeHandle, 0, 0);
        var error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error == 0)
        {
            connecting.Completion.TrySetResult();
        }
        else
        {
            connecting.Completion.TrySetException(new SocketException(error));
        }
    }

    private void Occupy(Registration registration)
    {
        registration.Slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
        registration.Generation = ++_generation;
        if (registration.Slot == _slots.Count)
        {
            _slots.Add(registration);
        }
        else
        {
            _slots[registration.Slot] = registration;
        }
    }

    private void Vacate(Registration registration)
    {
        if (!ReferenceEquals(_slots[registration.Slot], registration))
        {
            return;
        }

        _slots[registration.Slot] = null;
        _freeSlots.Push(registration.Slot);
    }

    private void OnEvent(Entry entry, int side, uint events)
    {
        try
        {
            if (entry.Connection.IsClosed)
            {
                Discard(entry);
                return;
            }

            if (entry.Connection.HandOverRequested)
            {
                HandOver(entry, -1, 0);
                return;
            }

            const uint Failed = LinuxSockets.EpollErr | LinuxSockets.EpollHup;
            var other = 1 - side;
            if ((events & (LinuxSockets.EpollOut | Failed)) != 0 && entry.Pending[side] is not null && !Flush(entry, side))
            {
                return;
            }

            if ((events & (LinuxSockets.EpollIn | Failed)) != 0)
            {
                if (entry.Pending[other] is null)
                {
                    if (!Pump(entry, side, other))
                    {
                        return;
                    }
                }
                else if ((events & Failed) != 0)
                {
                    // The side failed while what it sent waits for the other side: nothing more can come from it.
                    Close(entry);
                    return;
                }
            }

            UpdateInterest(entry);
        }
        catch (ObjectDisposedException)
        {
            // Another thread closed the connection (enabled=false, reset, a toxic); its Remove is queued.
            Discard(entry);
        }
    }

    /// <summary>Reads once from <paramref name="from"/> and sends it on; false once the entry has left the relay.</summary>
    private bool Pump(Entry entry, int from, int to)
    {
        var connection = entry.Connection;
        var read = LinuxSockets.Receive(entry.Socket(from).SafeHandle, _buffer);
        if (read < 0)
        {
            if (LinuxSockets.WouldBlock())
            {
                return true;
            }

            Close(entry);
            return false;
        }

        // A toxic added before this read must apply to what it returned.
        if (connection.HandOverRequested)
        {
            HandOver(entry, from, read);
            return false;
        }

        if (read == 0)
        {
            // Like Toxiproxy: a close on either side closes the connection.
            Close(entry);
            return false;
        }

        var sent = LinuxSockets.Send(entry.Socket(to).SafeHandle, _buffer.AsSpan(0, read));
        if (sent < 0)
        {
            if (!LinuxSockets.WouldBlock())
            {
                Close(entry);
                return false;
            }

            sent = 0;
        }

        if (sent < read)
        {
            var pending = ArrayPool<byte>.Shared.Rent(read - sent);
            _buffer.AsSpan(sent, read - sent).CopyTo(pending);
            entry.Pending[to] = pending;
            entry.PendingStart[to] = 0;
            entry.PendingEnd[to] = read - sent;
        }

        return true;
    }

    /// <summary>Sends what waits for <paramref name="to"/>; false once the entry has left the relay.</summary>
    private bool Flush(Entry entry, int to)
    {
        var pending = entry.Pending[to]!;
        var start = entry.PendingStart[to];
        var sent = LinuxSockets.Send(entry.Socket(to).SafeHandle, pending.AsSpan(start, entry.PendingEnd[to] - start));
        if (sent < 0)
        {
            if (LinuxSockets.WouldBlock())
            {
                return true;
            }

            Close(entry);
            return false;
        }

        entry.PendingStart[to] = start + sent;
        if (start + sent == entry.PendingEnd[to])
        {
            ArrayPool<byte>.Shared.Return(pending);
            entry.Pending[to] = null;
        }

        return true;
    }

    /// <summary>Reads a side only while the other side has taken everything; waits to write only while data waits.</summary>
    private void UpdateInterest(Entry entry)
    {
        for (var side = 0; side < 2; side++)
        {
            var wanted = (entry.Pending[1 - side] is null ? LinuxSockets.EpollIn : 0) | (entry.Pending[side] is null ? 0 : LinuxSockets.EpollOut);
            if (wanted != entry.Interest[side])
            {
                entry.Interest[side] = wanted;
                if (!LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlMod, entry.Socket(side).SafeHandle, wanted, entry.Token(side)))
                {
                    Close(entry);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Gives the connection to its links: what waits for a side (or what the read that saw the hand-over returned,
    /// <paramref name="carriedLength"/> bytes from <paramref name="carriedFrom"/>, 0 for its close) is the first chunk
    /// of the link toward that side.
    /// </summary>
    private void HandOver(Entry entry, int carriedFrom, int carriedLength)
    {
        Drop(entry);
        var now = Stopwatch.GetTimestamp();
        ProxyChunk? Carried(int from)
        {
            var to = 1 - from;
            if (entry.Pending[to] is { } pending)
            {
                var length = entry.PendingEnd[to] - entry.PendingStart[to];
                pending.AsSpan(entry.PendingStart[to], length).CopyTo(pending);
                entry.Pending[to] = null;
                return new ProxyChunk(pending, length, now);
            }

            if (from != carriedFrom)
            {
                return null;
            }

            if (carriedLength == 0)
            {
                return new ProxyChunk(null, 0, now);
            }

            var copy = ArrayPool<byte>.Shared.Rent(carriedLength);
            _buffer.AsSpan(0, carriedLength).CopyTo(copy);
            return new ProxyChunk(copy, carriedLength, now);
        }

        var connection = entry.Connection;
        var upstream = Carried(ClientSide);
        var downstream = Carried(UpstreamSide);
        // The links start on the thread pool: until their first wait they run the toxics, which are not this thread's work.
        ThreadPool.UnsafeQueueUserWorkItem(_ => connection.RunLinks(upstream, downstream), null);
    }

    private void Close(Entry entry)
    {
        Discard(entry);
        entry.Connection.Close();
    }

    /// <summary>Takes the entry out of the relay and returns the data it held to the pool: its connection has closed.</summary>
    private void Discard(Entry entry)
    {
        Drop(entry);
        for (var side = 0; side < 2; side++)
        {
            if (entry.Pending[side] is { } pending)
            {
                ArrayPool<byte>.Shared.Return(pending);
                entry.Pending[side] = null;
            }
        }
    }

    /// <summary>Takes the entry out of epoll and the tables.</summary>
    private void Drop(Entry entry)
    {
        if (!_entries.Remove(entry.Connection))
        {
            return;
        }

        for (var side = 0; side < 2; side++)
        {
            try
            {
                _ = LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlDel, entry.Socket(side).SafeHandle, 0, 0);
            }
            catch (ObjectDisposedException)
            {
                // Closing the socket took it out of epoll already.
            }
        }

        Vacate(entry);
    }

    /// <summary>What an epoll event's data points to: a slot, and the generation that tells a stale event.</summary>
    private abstract class Registration
    {
        public int Slot { get; set; }

        public uint Generation { get; set; }

        /// <summary>epoll's data for a side: generation, slot, side.</summary>
        public ulong Token(int side) => ((ulong)Generation << 32) | ((ulong)(uint)Slot << 1) | (uint)side;
    }

    /// <summary>A connect the relay waits for.</summary>
    private sealed class Connecting(Socket socket) : Registration
    {
        public Socket Socket { get; } = socket;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One relayed connection; touched only by the relay's thread.</summary>
    private sealed class Entry(ProxyConnection connection) : Registration
    {
        public ProxyConnection Connection { get; } = connection;

        /// <summary>Per side (client, upstream): data read from the other side that this side has not taken yet.</summary>
        public byte[]?[] Pending { get; } = new byte[]?[2];

        public int[] PendingStart { get; } = new int[2];

        public int[] PendingEnd { get; } = new int[2];

        /// <summary>Per side: the epoll events registered.</summary>
        public uint[] Interest { get; } = [LinuxSockets.EpollIn, LinuxSockets.EpollIn];

        public Socket Socket(int side) => side == ClientSide ? Connection.Client : Connection.Upstream;
    }
}
