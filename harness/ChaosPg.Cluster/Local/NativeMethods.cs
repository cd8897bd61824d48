using System.Runtime.InteropServices;

namespace ChaosPg.Cluster.Local;

/// <summary>The few libc calls .NET has no managed API for: signals other than SIGKILL, chown, SysV shared memory removal.</summary>
internal static partial class NativeMethods
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;
    private const int IpcRmid = 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "shmctl", SetLastError = true)]
    private static partial int ShmCtl(int shmId, int command, IntPtr buffer);

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    public static void ChangeOwner(string path, int uid, int gid)
    {
        if (Chown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Marks a SysV segment for removal; a crashed postmaster leaves its small one behind.</summary>
    public static void RemoveSharedMemory(int shmId) => _ = ShmCtl(shmId, IpcRmid, IntPtr.Zero);
}
