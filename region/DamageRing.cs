namespace WebConsole.Region;

/// <summary>What a consumer can learn from the damage ring about the frames it missed.</summary>
public enum DamageOutcome
{
    /// <summary>Every rectangle of every missed frame is in the list.</summary>
    Complete,
    /// <summary>The ring was overwritten past the last frame seen: repaint everything.</summary>
    Overflow,
    /// <summary>A record lies outside the frame: the producer is broken, repaint everything.</summary>
    Inconsistent,
}

/// <summary>Reads the damage ring of a header snapshot (see "Damage" in docs/region-format.md).</summary>
public static class DamageRing
{
    /// <summary>
    /// Collects the rectangles of frames after <paramref name="lastFrame"/> up to the snapshot's
    /// frame. The ring must still hold a record of a frame at or before
    /// <paramref name="lastFrame"/> (or never have wrapped), or records would be missing.
    /// </summary>
    public static DamageOutcome Collect(ReadOnlySpan<byte> snapshot, in RegionHeader header, uint lastFrame, List<PixelRect> rects)
    {
        rects.Clear();
        ulong head = header.DamageHead;
        uint current = header.FrameSeq;
        const int ring = RegionFormat.DamageRingSize;
        if (head >= ring && (int)(Record(snapshot, head % ring).FrameSeq - lastFrame) > 0)
        {
            return DamageOutcome.Overflow;
        }
        ulong first = head >= ring ? head - ring : 0;
        for (ulong i = first; i < head; i++)
        {
            var (frame, rect) = Record(snapshot, i % ring);
            if ((int)(frame - lastFrame) <= 0 || (int)(frame - current) > 0)
            {
                continue;
            }
            if (rect.IsEmpty || rect.X < 0 || rect.Y < 0 || rect.Right > header.Width || rect.Bottom > header.Height ||
                rect.Right < 0 || rect.Bottom < 0)
            {
                return DamageOutcome.Inconsistent;
            }
            rects.Add(rect);
        }
        return DamageOutcome.Complete;
    }

    private static (uint FrameSeq, PixelRect Rect) Record(ReadOnlySpan<byte> snapshot, ulong slot)
    {
        int at = RegionFormat.OffDamageRing + (int)slot * RegionFormat.DamageRecordSize;
        // Values above int.MaxValue become negative and fail the bounds check.
        return (RegionValidator.U32(snapshot, at),
            new PixelRect(
                (int)RegionValidator.U32(snapshot, at + 4),
                (int)RegionValidator.U32(snapshot, at + 8),
                (int)RegionValidator.U32(snapshot, at + 12),
                (int)RegionValidator.U32(snapshot, at + 16)));
    }
}
