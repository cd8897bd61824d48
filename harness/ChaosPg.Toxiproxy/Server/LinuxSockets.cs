using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>The few libc calls <see cref="SocketRelay"/> makes: epoll, eventfd, and non-blocking recv/send.</summary>
internal static partial class LinuxSockets
{
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;

    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;

    public const int EIntr = 4;

    private const int EAgain = 11;
    private const string Libc = "libc";
    private const int EpollCloexec = 0x80000;
    private const int EfdCloexec = 0x80000;
    private const int EfdNonblock = 0x800;
    private const int MsgDontwait = 0x40;
    private const int MsgNosignal = 0x4000;

    /// <summary>
    /// struct epoll_event is packed on x86-64 (12 bytes, data at offset 4) and naturally aligned elsewhere
    /// (16 bytes, data at offset 8).
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int EpollDataOffset = EpollEventSize - 8;

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>Whether the last call failed only because it would have blocked (or a signal interrupted it).</summary>
    public static bool WouldBlock() => Errno is EAgain or EIntr;

    public static int CreateEpoll() => Check(EpollCreate1(EpollCloexec), "epoll_create1");

    public static SafeFileHandle CreateEventFd() => new(Check(EventFd(0, EfdCloexec | EfdNonblock), "eventfd"), ownsHandle: true);

    /// <summary>Adds, changes or removes a socket's registration; false when the kernel refused (errno says why).</summary>
    public static bool Control(int epoll, int operation, SafeHandle socket, uint events, ulong data)
    {
        Span<byte> evt = stackalloc byte[16];
        evt.Clear();
        MemoryMarshal.Write(evt, events);
        MemoryMarshal.Write(evt[EpollDataOffset..], data);
        return EpollCtl(epoll, operation, socket, evt) == 0;
    }

    /// <summary>Waits for events into <paramref name="events"/> (<see cref="EpollEventSize"/> bytes each).</summary>
    public static int Wait(int epoll, Span<byte> events, int timeoutMs) =>
        EpollWait(epoll, events, events.Length / EpollEventSize, timeoutMs);

    public static uint EventsAt(ReadOnlySpan<byte> events, int index) => MemoryMarshal.Read<uint>(events[(index * EpollEventSize)..]);

    public static ulong DataAt(ReadOnlySpan<byte> events, int index) => MemoryMarshal.Read<ulong>(events[((index * EpollEventSize) + EpollDataOffset)..]);

    /// <summary>recv without blocking: bytes read, 0 at end of stream, or -1 (errno says why).</summary>
    public static int Receive(SafeHandle socket, Span<byte> buffer) => (int)Recv(socket, buffer, (nuint)buffer.Length, MsgDontwait);

    /// <summary>send without blocking and without SIGPIPE: bytes sent, or -1 (errno says why).</summary>
    public static int Send(SafeHandle socket, ReadOnlySpan<byte> data) => (int)SendCall(socket, data, (nuint)data.Length, MsgDontwait | MsgNosignal);

    /// <summary>Adds one to an eventfd's counter, waking whoever polls it.</summary>
    public static void Signal(SafeHandle eventFd)
    {
        Span<byte> one = stackalloc byte[8];
        MemoryMarshal.Write(one, 1UL);
        _ = Write(eventFd, one, 8);
    }

    /// <summary>Resets an eventfd's counter.</summary>
    public static void Drain(SafeHandle eventFd)
    {
        Span<byte> value = stackalloc byte[8];
        _ = Read(eventFd, value, 8);
    }

    public static void CloseFd(int fd) => _ = Close(fd);

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Errno}");

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int operation, SafeHandle fd, Span<byte> evt);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, Span<byte> events, int maxEvents, int timeout);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(SafeHandle socket, Span<byte> buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    private static partial nint SendCall(SafeHandle socket, ReadOnlySpan<byte> buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(SafeHandle fd, ReadOnlySpan<byte> buffer, nuint length);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(SafeHandle fd, Span<byte> buffer, nuint length);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
