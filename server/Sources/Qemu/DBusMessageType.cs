namespace WebConsole.Sources.Qemu;

/// <summary>The D-Bus message types (the second byte of every message).</summary>
internal enum DBusMessageType : byte
{
    Invalid = 0,
    MethodCall = 1,
    MethodReturn = 2,
    Error = 3,
    Signal = 4,
}
