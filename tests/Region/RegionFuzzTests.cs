using System.Buffers.Binary;
using CsCheck;
using WebConsole.Region;

namespace WebConsole.Tests.Region;

/// <summary>
/// Random and mutated headers thrown at the validator and the reader: every one is either
/// rejected with a reason or, when accepted, consistent with the file that holds it.
/// </summary>
public sealed class RegionFuzzTests
{
    private static readonly int[] FieldOffsets =
    [
        RegionFormat.OffMagic, RegionFormat.OffVersionMajor, RegionFormat.OffMetaSize, RegionFormat.OffHeaderSize,
        RegionFormat.OffSeq, RegionFormat.OffFlags, RegionFormat.OffEpoch, RegionFormat.OffGeneration, RegionFormat.OffFourcc,
        RegionFormat.OffWidth, RegionFormat.OffHeight, RegionFormat.OffStride, RegionFormat.OffBufferCount, RegionFormat.OffFront,
        RegionFormat.OffBufferOffsets, RegionFormat.OffBufferOffsets + 4, RegionFormat.OffBufferOffsets + 8,
        RegionFormat.OffBufferOffsets + 12, RegionFormat.OffBufferOffsets + 16, RegionFormat.OffBufferSize,
        RegionFormat.OffBufferSize + 4, RegionFormat.OffFrameSeq, RegionFormat.OffDamageHead, RegionFormat.OffDamageHead + 4,
        RegionFormat.OffCursorX, RegionFormat.OffCursorWidth, RegionFormat.OffCursorHeight, RegionFormat.OffCursorHotX,
        RegionFormat.OffCursorHotY, RegionFormat.OffCursorSerial,
        RegionFormat.OffDamageRing, RegionFormat.OffDamageRing + 4, RegionFormat.OffDamageRing + 8,
        RegionFormat.OffDamageRing + 12, RegionFormat.OffDamageRing + 16,
    ];

    private static readonly uint[] Interesting =
    [
        0, 1, 2, 3, 4, 0xFF, 4095, 4096, 4097, 16383, 16384, 16385, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE,
        (uint)PixelFormat.Xrgb8888, (uint)PixelFormat.Rgb565, RegionFormat.MetaSize, RegionFormat.Magic,
    ];

    private static readonly Gen<uint> Value = Gen.Frequency<uint>((3, Gen.OneOf(Interesting)), (1, Gen.UInt));

    private static readonly Gen<(int Offset, uint Value)[]> Mutations =
        Gen.Select(Gen.Frequency<int>((3, Gen.OneOf(FieldOffsets)), (1, Gen.Int[0, RegionFormat.SnapshotSize / 4 - 1].Select(i => i * 4))), Value).Array[1, 6];

    /// <summary>A real region's metadata: 64x48, 2 buffers, a few damage records and a cursor.</summary>
    private static (byte[] Snapshot, long FileSize) ValidRegion()
    {
        using var temp = new TempRegion("fuzz");
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 64, Height = 48 });
        for (int i = 0; i < 5; i++)
        {
            writer.TryBeginFrame(out Span<byte> _);
            writer.Publish([new PixelRect(i, i, 10, 10)]);
        }
        writer.SetCursorImage(4, 4, 1, 1, new uint[16]);
        byte[] all = File.ReadAllBytes(temp.Path);
        return (all.AsSpan(all.Length - RegionFormat.MetaSize, RegionFormat.SnapshotSize).ToArray(), all.Length);
    }

    private static void AssertConsistentIfAccepted(byte[] snapshot, long fileSize, uint lastFrame)
    {
        if (!RegionValidator.TryValidate(snapshot, fileSize, out RegionHeader h, out string? reason))
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
            return;
        }
        Assert.Null(reason);
        Assert.InRange(h.Width, 1, RegionFormat.MaxDimension);
        Assert.InRange(h.Height, 1, RegionFormat.MaxDimension);
        Assert.InRange(h.BufferCount, 1, RegionFormat.MaxBuffers);
        Assert.InRange(h.Front, 0, h.BufferCount - 1);
        Assert.True((long)h.Stride >= (long)h.Width * h.BytesPerPixel);
        Assert.True((long)h.Stride * h.Height <= h.BufferSize);
        for (int i = 0; i < h.BufferCount; i++)
        {
            Assert.True(h.BufferOffset(i) >= 0 && h.BufferOffset(i) + h.BufferSize <= fileSize - RegionFormat.MetaSize);
        }
        Assert.InRange(h.Cursor.Width, 0, RegionFormat.CursorMax);
        Assert.InRange(h.Cursor.Height, 0, RegionFormat.CursorMax);
        var rects = new List<PixelRect>();
        if (DamageRing.Collect(snapshot, h, lastFrame, rects) == DamageOutcome.Complete)
        {
            Assert.All(rects, r => Assert.True(r.X >= 0 && r.Y >= 0 && !r.IsEmpty && r.Right <= h.Width && r.Bottom <= h.Height, r.ToString()));
        }
    }

    [Fact]
    public void Validator_RejectsOrAcceptsConsistently_SixtyThousandMutatedHeaders()
    {
        var (valid, size) = ValidRegion();
        Assert.True(RegionValidator.TryValidate(valid, size, out _, out _));
        Gen<long> sizes = Gen.Frequency<long>(
            (4, Gen.Const(size)),
            (1, Gen.Int[-3, 3].Select(p => size + p * (long)RegionFormat.PageSize)),
            (1, Gen.Long[0, 1L << 40]));
        Gen.Select(Mutations, sizes, Gen.UInt[0, 8]).Sample((mutations, fileSize, lastFrame) =>
        {
            byte[] s = (byte[])valid.Clone();
            foreach (var (offset, value) in mutations)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(offset), value);
            }
            AssertConsistentIfAccepted(s, fileSize, lastFrame);
        }, iter: 60_000, threads: 1);
    }

    [Fact]
    public void Validator_RejectsOrAcceptsConsistently_FortyThousandRandomHeaders()
    {
        // Half of them get a plausible preamble, or almost all would stop at the magic.
        Gen.Select(Gen.Byte.Array[RegionFormat.SnapshotSize], Gen.Bool, Gen.Long[0, 1L << 34], Gen.UInt).Sample((s, preamble, fileSize, lastFrame) =>
        {
            if (preamble)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(RegionFormat.OffMagic), RegionFormat.Magic);
                BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(RegionFormat.OffVersionMajor), RegionFormat.VersionMajor);
                BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(RegionFormat.OffMetaSize), RegionFormat.MetaSize);
                BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(RegionFormat.OffHeaderSize), RegionFormat.HeaderSize);
                s[RegionFormat.OffSeq] &= 0xFE;
                fileSize &= ~(long)(RegionFormat.PageSize - 1);
            }
            AssertConsistentIfAccepted(s, fileSize, lastFrame);
        }, iter: 40_000, threads: 1);
    }

    [Fact]
    public void Reader_NeverThrows_OnMutatedRegionFiles()
    {
        // The whole reader path on real files: snapshot, validation, damage, pixel and cursor reads.
        using var temp = new TempRegion("fuzzfile");
        using (var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 64, Height = 48, BufferCount = 3 }))
        {
            writer.TryBeginFrame(out Span<byte> _);
            writer.PublishFull();
        }
        byte[] pristine = File.ReadAllBytes(temp.Path);
        long metaAt = pristine.Length - RegionFormat.MetaSize;
        int ready = 0;
        Gen.Select(Mutations, Gen.Int[0, 3]).Sample((mutations, truncatePages) =>
        {
            byte[] bytes = (byte[])pristine.Clone();
            foreach (var (offset, value) in mutations)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)metaAt + offset), value);
            }
            // An odd seq only makes the reader wait out its stuck-producer timeout (tested elsewhere).
            bytes[(int)metaAt + RegionFormat.OffSeq] &= 0xFE;
            File.WriteAllBytes(temp.Path, bytes.AsSpan(0, bytes.Length - truncatePages * RegionFormat.PageSize).ToArray());
            using var reader = new RegionReader(temp.Path);
            reader.Poll();
            reader.Poll();
            if (reader.Status == RegionStatus.Ready)
            {
                ready++;
                Assert.Equal(reader.FrameWidth * reader.FrameHeight * 4, reader.Frame.Length);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(reader.Reason));
            }
        }, iter: 2_000, threads: 1);
        Assert.True(ready > 0, "no mutated file was accepted: the test only exercised rejection");
    }
}
