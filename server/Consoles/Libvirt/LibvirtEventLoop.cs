using System.Runtime.InteropServices;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// libvirt's default event loop, which delivers domain events, close callbacks and keep-alives: it
/// is registered once per process (virEventRegisterDefaultImpl, before the first connection) and
/// runs on one background thread for the life of the process (libvirt offers no way to unregister it).
/// </summary>
internal static unsafe class LibvirtEventLoop
{
    private static readonly Lock s_gate = new();
    private static Thread? s_thread;

    /// <summary>Registers and starts the loop the first time; later calls do nothing.</summary>
    public static void EnsureStarted()
    {
        lock (s_gate)
        {
            if (s_thread is not null)
            {
                return;
            }
            // libvirt prints every error on stderr unless told otherwise; the provider logs them itself.
            LibvirtNative.SetErrorFunc(IntPtr.Zero, &IgnoreError);
            if (LibvirtNative.EventRegisterDefaultImpl() < 0)
            {
                throw new LibvirtException($"cannot start libvirt's event loop: {LibvirtNative.LastError()}");
            }
            s_thread = new Thread(Run) { IsBackground = true, Name = "libvirt events" };
            s_thread.Start();
        }
    }

    private static void Run()
    {
        while (true)
        {
            if (LibvirtNative.EventRunDefaultImpl() < 0)
            {
                // Only a broken poll makes it fail; do not spin on it.
                Thread.Sleep(100);
            }
        }
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
    }
}
