using System.Diagnostics.CodeAnalysis;

namespace WebConsole.Sources.Qemu;

/// <summary>A D-Bus message that breaks the wire format or the bounds the server sets; the message is rejected.</summary>
internal sealed class DBusFormatException(string message) : Exception(message)
{
    [DoesNotReturn]
    public static void Throw(string message) => throw new DBusFormatException(message);
}
