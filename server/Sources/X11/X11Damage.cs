using System.Buffers.Binary;
using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Sources.X11;

/// <summary>
/// DAMAGE on a screen's root window, at the "non-empty" level: the server sends one event when
/// damage appears, and <see cref="Take"/> moves what has gathered since into an XFixes region and
/// fetches its rectangles in one round trip, so a busy client painting thousands of small things
/// costs one event and one fetch per capture, not an event per drawing call.
/// </summary>
internal sealed unsafe class X11Damage
{
    private readonly X11Connection _x;
    private readonly uint _damage;
    private readonly uint _region;

    private X11Damage(X11Connection x, uint damage, uint region)
    {
        _x = x;
        _damage = damage;
        _region = region;
    }

    /// <summary>Starts tracking the root window; null when the server has no DAMAGE or refuses.</summary>
    public static X11Damage? TryCreate(X11Connection x)
    {
        if (x.DamageEvent < 0)
        {
            return null;
        }
        uint damage = x.NewId(), region = x.NewId();
        if (!x.Check(XcbNative.xcb_damage_create_checked(x.Handle, damage, x.Root, XcbNative.DamageReportNonEmpty)) ||
            !x.Check(XcbNative.xcb_xfixes_create_region_checked(x.Handle, region, 0, null)))
        {
            return null;
        }
        return new X11Damage(x, damage, region);
    }

    /// <summary>
    /// Takes the damage gathered so far (the server starts gathering afresh) into
    /// <paramref name="rects"/>, clipped to <paramref name="width"/> x <paramref name="height"/>;
    /// more than <paramref name="maxRects"/> rectangles become their bounding box. False when the
    /// connection broke.
    /// </summary>
    public bool Take(List<PixelRect> rects, int width, int height, int maxRects)
    {
        _ = XcbNative.xcb_damage_subtract(_x.Handle, _damage, 0, _region);
        byte* reply = XcbNative.xcb_xfixes_fetch_region_reply(_x.Handle, XcbNative.xcb_xfixes_fetch_region(_x.Handle, _region), 0);
        if (reply == null)
        {
            return false;
        }
        try
        {
            int count = XcbNative.xcb_xfixes_fetch_region_rectangles_length(reply);
            if (count > maxRects || count < 0)
            {
                // The extents: x, y (int16), width, height (uint16) at 8.
                AddClipped(rects, new ReadOnlySpan<byte>(reply + 8, 8), width, height);
                return true;
            }
            var all = new ReadOnlySpan<byte>(XcbNative.xcb_xfixes_fetch_region_rectangles(reply), count * 8);
            for (int i = 0; i < count; i++)
            {
                AddClipped(rects, all.Slice(i * 8, 8), width, height);
            }
            return true;
        }
        finally
        {
            NativeMemory.Free(reply);
        }
    }

    private static void AddClipped(List<PixelRect> rects, ReadOnlySpan<byte> r, int width, int height)
    {
        int x0 = Math.Max(0, (int)BinaryPrimitives.ReadInt16LittleEndian(r));
        int y0 = Math.Max(0, (int)BinaryPrimitives.ReadInt16LittleEndian(r[2..]));
        int x1 = Math.Min(width, BinaryPrimitives.ReadInt16LittleEndian(r) + BinaryPrimitives.ReadUInt16LittleEndian(r[4..]));
        int y1 = Math.Min(height, BinaryPrimitives.ReadInt16LittleEndian(r[2..]) + BinaryPrimitives.ReadUInt16LittleEndian(r[6..]));
        if (x1 > x0 && y1 > y0)
        {
            rects.Add(new PixelRect(x0, y0, x1 - x0, y1 - y0));
        }
    }
}
