using WebConsole.Input;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

public sealed class QemuKeyTableTests
{
    [Fact]
    public void EveryEntry_IsAnXtSet1Number_AndNoTwoKeysShareOne()
    {
        var seen = new Dictionary<uint, ushort>();
        int count = 0;
        foreach (ushort code in QemuKeyTable.Codes)
        {
            Assert.True(QemuKeyTable.TryGetQnum(code, out uint qnum));
            Assert.InRange(qnum, 1u, 0xFFu);
            Assert.False(seen.ContainsKey(qnum), $"evdev {code} and {seen.GetValueOrDefault(qnum)} both map to 0x{qnum:x2}");
            seen[qnum] = code;
            count++;
        }
        Assert.True(count > 200, $"{count} keys");
    }

    [Theory]
    [InlineData(1, 0x01)]    // Esc
    [InlineData(30, 0x1e)]   // A
    [InlineData(28, 0x1c)]   // Enter
    [InlineData(29, 0x1d)]   // Left Ctrl
    [InlineData(56, 0x38)]   // Left Alt
    [InlineData(88, 0x58)]   // F12
    [InlineData(96, 0x9c)]   // Keypad Enter: E0 1C
    [InlineData(97, 0x9d)]   // Right Ctrl: E0 1D
    [InlineData(100, 0xb8)]  // Right Alt: E0 38
    [InlineData(102, 0xc7)]  // Home: E0 47
    [InlineData(103, 0xc8)]  // Up: E0 48
    [InlineData(105, 0xcb)]  // Left: E0 4B
    [InlineData(106, 0xcd)]  // Right: E0 4D
    [InlineData(108, 0xd0)]  // Down: E0 50
    [InlineData(111, 0xd3)]  // Delete: E0 53
    [InlineData(99, 0x54)]   // SysRq / Print Screen: QEMU's preferred number
    [InlineData(125, 0xdb)]  // Left Meta: E0 5B
    [InlineData(127, 0xdd)]  // Menu (Compose): E0 5D
    public void Key_MapsToItsXtSet1Number(ushort evdev, uint qnum)
    {
        Assert.True(QemuKeyTable.TryGetQnum(evdev, out uint actual));
        Assert.Equal(qnum, actual);
    }

    [Fact]
    public void EveryKeyOfAStandardKeyboard_AndOfTypeText_HasANumber()
    {
        // evdev 1-83 (Esc .. keypad dot) are the set 1 codes themselves; then the 102nd key, F11, F12 and the E0 block.
        for (ushort code = 1; code <= 83; code++)
        {
            Assert.True(QemuKeyTable.TryGetQnum(code, out uint qnum), $"evdev {code}");
            Assert.Equal(code, (ushort)qnum);
        }
        foreach (ushort code in new ushort[] { 86, 87, 88, 96, 97, 98, 99, 100, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 119, 125, 126, 127 })
        {
            Assert.True(QemuKeyTable.TryGetQnum(code, out _), $"evdev {code}");
        }
        for (char c = ' '; c <= '~'; c++)
        {
            Assert.True(TextKeys.TryGetKey(c, out ushort code, out _));
            Assert.True(QemuKeyTable.TryGetQnum(code, out _), $"'{c}' (evdev {code})");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(84)]
    [InlineData(256)]
    [InlineData(0x2ff)]
    [InlineData(ushort.MaxValue)]
    public void UnknownKey_HasNoNumber(ushort evdev)
    {
        Assert.False(QemuKeyTable.TryGetQnum(evdev, out _));
    }
}
