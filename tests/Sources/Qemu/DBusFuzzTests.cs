using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// The one place QEMU's D-Bus messages are parsed, fed generated and mutated messages (seeded, so a
/// failure repeats): nothing but a rejection may come out, never an exception, a hang or an
/// allocation past the limits.
/// </summary>
public sealed class DBusFuzzTests
{
    private const int Messages = 120_000;
    private static readonly string[] s_members = ["Scanout", "Update", "ScanoutMap", "UpdateMap", "CursorDefine", "MouseSet", "Disable", "GetAll", "Get", "Ping", "ScanoutDMABUF", "Nope"];
    private static readonly string[] s_signatures = ["uuuuay", "iiiiuuay", "huuuuu", "iiii", "iiiiay", "iii", "", "s", "ss", "a{sv}", "v", "(ii)", "aay", "a(uv)"];

    [Fact]
    public void GeneratedAndMutatedMessages_AreParsedOrRejected_NeverThrow()
    {
        var random = new Random(20261202);
        var writer = new DBusMessageWriter();
        using var surface = new QemuSurface(256L * 256);
        Assert.Equal(0, QemuNative.SocketPair(out int ours, out int theirs));
        using var listener = new QemuListener(ours, surface, offerMap: true, maxBody: 1 << 20);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < Messages; i++)
        {
            byte[] message = Generate(random, writer);
            Mutate(random, ref message);
            if (message.Length < DBusMessageParser.FixedHeaderSize)
            {
                rejected++;
                continue;
            }
            if (!DBusMessageParser.TryMeasure(message, 1 << 20, out long total, out int headerSize, out bool tooLarge, out _) || tooLarge)
            {
                rejected++;
                continue;
            }
            if (total > message.Length || headerSize > total)
            {
                rejected++; // the connection would wait for the rest; nothing is sized by the claim past its limit
                continue;
            }
            string? rejection = listener.HandleUnanswered(message.AsMemory(0, (int)total), headerSize);
            if (rejection is null)
            {
                parsed++;
            }
            else
            {
                rejected++;
            }
            if (i % 1000 == 0)
            {
                surface.Poll([]);
            }
        }
        QemuNative.Close(theirs);
        // Both outcomes are exercised: the generator is not all noise, the mutations are not all harmless.
        Assert.True(parsed > Messages / 20, $"{parsed} parsed");
        Assert.True(rejected > Messages / 20, $"{rejected} rejected");
    }

    [Fact]
    public void MutatedStreams_OnARealSocket_EndOrGoOn_NeverThrow()
    {
        var random = new Random(7);
        var writer = new DBusMessageWriter();
        var message = new DBusMessage();
        for (int stream = 0; stream < 300; stream++)
        {
            Assert.Equal(0, QemuNative.SocketPair(out int ours, out int theirs));
            using var connection = new DBusConnection(ours, 64 * 1024);
            var bytes = new List<byte>();
            for (int m = 0; m < 20; m++)
            {
                byte[] one = Generate(random, writer);
                if (random.Next(4) == 0)
                {
                    Mutate(random, ref one);
                }
                bytes.AddRange(one);
            }
            Assert.Equal(0, QemuNative.Send(theirs, bytes.ToArray()));
            QemuNative.Close(theirs);
            int received = 0;
            while (connection.TryReceive(message, 1000, out _))
            {
                Assert.True(++received <= 20 + bytes.Count / 16, "more messages than bytes allow");
            }
        }
        message.Reset();
    }

    private static byte[] Generate(Random random, DBusMessageWriter writer)
    {
        string member = s_members[random.Next(s_members.Length)];
        string signature = random.Next(5) == 0 ? s_signatures[random.Next(s_signatures.Length)] : Expected(member);
        string @interface = member switch
        {
            "ScanoutMap" or "UpdateMap" => DBusNames.MapInterface,
            "GetAll" or "Get" => DBusNames.PropertiesInterface,
            "Ping" => DBusNames.PeerInterface,
            _ => DBusNames.ListenerInterface,
        };
        writer.BeginMethodCall((uint)random.Next(1, int.MaxValue), random.Next(3) == 0 ? "org.qemu" : null, DBusNames.ListenerPath,
            @interface, member, signature, noReply: random.Next(2) == 0, fds: (uint)random.Next(2));
        WriteBody(random, writer, signature);
        return writer.Finish().ToArray();
    }

    private static string Expected(string member) => member switch
    {
        "Scanout" => "uuuuay",
        "Update" => "iiiiuuay",
        "ScanoutMap" => "huuuuu",
        "UpdateMap" => "iiii",
        "CursorDefine" => "iiiiay",
        "MouseSet" => "iii",
        "GetAll" => "s",
        "Get" => "ss",
        _ => "",
    };

    private static void WriteBody(Random random, DBusMessageWriter writer, string signature)
    {
        foreach (char type in signature)
        {
            switch (type)
            {
                case 'u':
                case 'h':
                    writer.WriteUInt32(Small(random));
                    break;
                case 'i':
                    writer.WriteInt32((int)Small(random) - (random.Next(8) == 0 ? 40 : 0));
                    break;
                case 's':
                    writer.WriteString(random.Next(2) == 0 ? DBusNames.ListenerInterface : "Interfaces");
                    break;
                case 'y' when signature.EndsWith("ay", StringComparison.Ordinal):
                    writer.WriteBytes(new byte[random.Next(0, 4096)]);
                    return;
                case 'a' when signature == "a{sv}":
                    int array = writer.BeginArray(8);
                    writer.Align(8);
                    writer.WriteString("Interfaces");
                    writer.WriteSignature("u");
                    writer.WriteUInt32(1);
                    writer.EndArray(array);
                    return;
                case 'v':
                    writer.WriteSignature("u");
                    writer.WriteUInt32(3);
                    break;
            }
        }
    }

    // Sizes and positions around the edges that matter: 0, small, stride-like, the pixel budget, overflow.
    private static uint Small(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => (uint)random.Next(1, 64),
        2 => (uint)random.Next(64, 1024),
        3 => 256,
        4 => uint.MaxValue - (uint)random.Next(4),
        _ => (uint)random.Next(),
    };

    private static void Mutate(Random random, ref byte[] message)
    {
        switch (random.Next(6))
        {
            case 0: // flip a few bytes anywhere
                for (int n = random.Next(1, 8); n > 0; n--)
                {
                    message[random.Next(message.Length)] ^= (byte)random.Next(1, 256);
                }
                break;
            case 1: // a byte in the header fields
                message[random.Next(Math.Min(message.Length, 96))] = (byte)random.Next(256);
                break;
            case 2: // truncate
                Array.Resize(ref message, random.Next(message.Length));
                break;
            case 3: // a length field set to something large
                int at = random.Next(Math.Max(1, message.Length - 4)) & ~3;
                BitConverter.TryWriteBytes(message.AsSpan(at), random.Next(2) == 0 ? uint.MaxValue : (uint)random.Next(1 << 24));
                break;
            case 4: // garbage appended
                int old = message.Length;
                Array.Resize(ref message, old + random.Next(1, 64));
                random.NextBytes(message.AsSpan(old));
                break;
            default: // unchanged
                break;
        }
    }
}
