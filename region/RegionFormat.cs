namespace WebConsole.Region;

/// <summary>
/// Byte offsets and limits of region format 1.0, as written down in docs/region-format.md and
/// include/webconsole/wcfb.h. Offsets are relative to the start of the metadata block, which is
/// the last <see cref="MetaSize"/> bytes of the file.
/// </summary>
public static class RegionFormat
{
    /// <summary>"WCFB" in file byte order.</summary>
    public const uint Magic = 0x42464357;
    public const ushort VersionMajor = 1;
    public const ushort VersionMinor = 0;
    public const int PageSize = 4096;
    public const int MetaSize = 0xC000;
    public const int HeaderSize = 0x100;
    public const int MaxBuffers = 3;
    public const int MaxDimension = 16384;
    /// <summary>Largest stride x height accepted: a 16384 x 16384 frame of 4-byte pixels.</summary>
    public const long MaxFrameBytes = 1L << 30;
    public const int DamageRingSize = 64;
    public const int DamageRecordSize = 24;
    public const int InputRingSize = 256;
    public const int InputEventSize = 16;
    public const int CursorMax = 64;
    public const int CursorImageSize = CursorMax * CursorMax * 4;
    public const uint NoBuffer = 0xFFFFFFFF;

    /// <summary>header.flags bit: the producer renders only when the consumer requests it.</summary>
    public const uint FlagRequested = 0x1;

    // Header fields.
    public const int OffMagic = 0x00;
    public const int OffVersionMajor = 0x04;
    public const int OffVersionMinor = 0x06;
    public const int OffMetaSize = 0x08;
    public const int OffHeaderSize = 0x0C;
    public const int OffSeq = 0x10;
    public const int OffFlags = 0x14;
    public const int OffEpoch = 0x18;
    public const int OffProducerPid = 0x20;
    public const int OffGeneration = 0x24;
    public const int OffFourcc = 0x28;
    public const int OffWidth = 0x2C;
    public const int OffHeight = 0x30;
    public const int OffStride = 0x34;
    public const int OffBufferCount = 0x38;
    public const int OffFront = 0x3C;
    public const int OffBufferOffsets = 0x40;
    public const int OffBufferSize = 0x58;
    public const int OffFrameSeq = 0x60;
    public const int OffDamageHead = 0x68;
    public const int OffCursor = 0x70;
    public const int OffCursorX = 0x70;
    public const int OffCursorY = 0x74;
    public const int OffCursorHotX = 0x78;
    public const int OffCursorHotY = 0x7C;
    public const int OffCursorWidth = 0x80;
    public const int OffCursorHeight = 0x84;
    public const int OffCursorVisible = 0x88;
    public const int OffCursorSerial = 0x8C;

    // Blocks.
    public const int OffDamageRing = 0x100;
    /// <summary>Header plus damage ring: what one consistent snapshot covers.</summary>
    public const int SnapshotSize = OffDamageRing + DamageRingSize * DamageRecordSize;
    public const int OffControl = 0x1000;
    public const int OffRequestSeq = OffControl + 0x00;
    public const int OffCompleteSeq = OffControl + 0x40;
    public const int OffConsumerHold = OffControl + 0x80;
    public const int OffInputWrite = OffControl + 0xC0;
    public const int OffInputRead = OffControl + 0x100;
    public const int OffInputRing = 0x2000;
    public const int OffCursorImages = 0x4000;

    /// <summary>Smallest file that can hold a one-pixel region.</summary>
    public const long MinFileSize = PageSize + MetaSize;
}
