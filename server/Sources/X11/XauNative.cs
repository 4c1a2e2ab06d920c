using System.Runtime.InteropServices;

namespace WebConsole.Sources.X11;

/// <summary>
/// libXau (libxau6, which libxcb itself depends on): the X authority file lookup libxcb does inside
/// <c>xcb_connect</c>, done here because the console connects the socket itself (with a deadline)
/// and hands it to <c>xcb_connect_to_fd</c>.
/// </summary>
internal static unsafe partial class XauNative
{
    private const string Xau = "libXau.so.6";

    public const ushort FamilyInternet = 0;
    public const ushort FamilyInternet6 = 6;
    public const ushort FamilyLocal = 256;

    /// <summary>Xauth: family, then length/pointer pairs for address, number, name and data.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Xauth
    {
        public ushort Family;
        public ushort AddressLength;
        public byte* Address;
        public ushort NumberLength;
        public byte* Number;
        public ushort NameLength;
        public byte* Name;
        public ushort DataLength;
        public byte* Data;
    }

    [LibraryImport(Xau)]
    public static partial Xauth* XauGetBestAuthByAddr(uint family, uint addressLength, byte* address,
        uint numberLength, byte* number, int typesLength, byte** types, int* typeLengths);

    [LibraryImport(Xau)]
    public static partial void XauDisposeAuth(Xauth* auth);
}
