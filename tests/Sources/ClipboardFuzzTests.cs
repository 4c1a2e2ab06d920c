using CsCheck;
using WebConsole.Sources.Clipboard;
using WebConsole.Streaming;

namespace WebConsole.Tests.Sources;

/// <summary>The place clipboard text from peers is checked, fed random input: it never throws and agrees with a strict reference.</summary>
public sealed class ClipboardFuzzTests
{
    private static readonly System.Text.UTF8Encoding s_reference = new(false, throwOnInvalidBytes: true);

    [Fact]
    public void TryDecode_AgreesWithAStrictDecoder_OnRandomBytes()
    {
        // Mostly UTF-8 with damage: valid text, then bytes flipped, cut or inserted.
        Gen<byte[]> text = Gen.String.Select(s => System.Text.Encoding.UTF8.GetBytes(s));
        Gen<byte[]> damaged = Gen.Select(text, Gen.Byte.Array[0, 4], Gen.Int[0, 64], static (t, noise, at) =>
        {
            int i = Math.Min(at, t.Length);
            byte[] bytes = new byte[t.Length + noise.Length];
            t.AsSpan(0, i).CopyTo(bytes);
            noise.CopyTo(bytes, i);
            t.AsSpan(i).CopyTo(bytes.AsSpan(i + noise.Length));
            return bytes;
        });
        Gen.Frequency<byte[]>((1, text), (3, damaged), (1, Gen.Byte.Array[0, 40])).Sample(bytes =>
        {
            string? expected;
            try
            {
                expected = s_reference.GetString(bytes);
            }
            catch (System.Text.DecoderFallbackException)
            {
                expected = null;
            }
            Assert.Equal(expected, ClipboardText.TryDecode(bytes, 1 << 20, out string? problem));
            Assert.Equal(expected is null, problem is not null);
        }, iter: 20_000);
    }

    [Fact]
    public void Upload_NeverHoldsMoreThanTheLimit_NorThrows_OnRandomPieces()
    {
        const int Max = 256;
        Gen<(long, int, int)> piece = Gen.Select(
            Gen.Frequency<long>((3, Gen.Long[0, 300]), (1, Gen.Const(0L)), (1, Gen.Long)),
            Gen.Frequency<int>((3, Gen.Int[0, 300]), (1, Gen.Int)),
            Gen.Int[0, 80]);
        piece.Array[1, 20].Sample(pieces =>
        {
            var upload = new ClipboardUpload();
            foreach ((long offset, int total, int length) in pieces)
            {
                bool ok = upload.TryAppend(offset, total, new byte[length], Max, out string? problem, out _);
                Assert.Equal(ok, problem is null);
                Assert.InRange(upload.Bytes.Length, 0, Max);
            }
        }, iter: 20_000);
    }
}
