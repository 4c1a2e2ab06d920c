using System.Buffers.Binary;
using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Sources.X11;

/// <summary>
/// The pointer's image and place as XFixes tells them: the X server leaves its cursor out of what
/// GetImage returns, so the console shows it as the page's cursor plane instead. The image is
/// kept as the cursor plane wants it: B, G, R, A with straight alpha (XFixes sends premultiplied
/// ARGB), <see cref="RegionFormat.CursorMax"/> pixels per row; a larger cursor is cut to 64x64.
/// </summary>
internal sealed unsafe class X11Cursor
{
    private readonly byte[] _image = new byte[RegionFormat.CursorImageSize];
    private CursorState _state;
    private uint _serial;

    public CursorState State => _state;

    public ReadOnlySpan<byte> Image => _image;

    /// <summary>Asks XFixes for cursor-change events on the root window; false when the server has no XFixes 2.</summary>
    public static bool Watch(X11Connection x) =>
        x.XfixesEvent >= 0 && x.Check(XcbNative.xcb_xfixes_select_cursor_input_checked(x.Handle, x.Root, XcbNative.XfixesDisplayCursorNotifyMask));

    /// <summary>Fetches the current cursor image (and where the pointer is); false when the server did not answer.</summary>
    public bool Fetch(X11Connection x)
    {
        byte* reply = XcbNative.xcb_xfixes_get_cursor_image_reply(x.Handle, XcbNative.xcb_xfixes_get_cursor_image(x.Handle), 0);
        if (reply == null)
        {
            return false;
        }
        try
        {
            var header = new ReadOnlySpan<byte>(reply, 32);
            int px = BinaryPrimitives.ReadInt16LittleEndian(header[8..]), py = BinaryPrimitives.ReadInt16LittleEndian(header[10..]);
            int width = BinaryPrimitives.ReadUInt16LittleEndian(header[12..]), height = BinaryPrimitives.ReadUInt16LittleEndian(header[14..]);
            int hotX = BinaryPrimitives.ReadUInt16LittleEndian(header[16..]), hotY = BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
            int count = XcbNative.xcb_xfixes_get_cursor_image_cursor_image_length(reply);
            if (count < 0 || (long)width * height > count)
            {
                return false; // fewer pixels than the size it gave
            }
            var argb = new ReadOnlySpan<uint>(XcbNative.xcb_xfixes_get_cursor_image_cursor_image(reply), count);
            int w = Math.Min(width, RegionFormat.CursorMax), h = Math.Min(height, RegionFormat.CursorMax);
            Array.Clear(_image);
            for (int y = 0; y < h; y++)
            {
                for (int x0 = 0; x0 < w; x0++)
                {
                    uint p = argb[y * width + x0];
                    uint a = p >> 24;
                    int at = (y * RegionFormat.CursorMax + x0) * 4;
                    _image[at] = Unpremultiply(p & 0xFF, a);
                    _image[at + 1] = Unpremultiply((p >> 8) & 0xFF, a);
                    _image[at + 2] = Unpremultiply((p >> 16) & 0xFF, a);
                    _image[at + 3] = (byte)a;
                }
            }
            _serial++;
            _state = new CursorState(px, py, Math.Min(hotX, w), Math.Min(hotY, h), w, h, w > 0 && h > 0, _serial);
            return true;
        }
        finally
        {
            NativeMemory.Free(reply);
        }
    }

    /// <summary>The pointer moved: same image, new place.</summary>
    public void MoveTo(int x, int y)
    {
        if (_serial != 0)
        {
            _state = _state with { X = x, Y = y };
        }
    }

    private static byte Unpremultiply(uint c, uint a) => a == 0 ? (byte)0 : (byte)Math.Min(255, (c * 255 + a / 2) / a);
}
