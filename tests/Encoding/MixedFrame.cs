using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

/// <summary>
/// A 1024x768 frame cut into 256x128 rectangles whose content cycles through flat, text,
/// gradient and noise, listed in a scrambled order so that "same order as asked" is not the
/// same as "top to bottom".
/// </summary>
internal sealed class MixedFrame
{
    public MixedFrame()
    {
        Image = new TestImage(1024, 768, paddingBytes: 64);
        var rects = new List<PixelRect>();
        var kinds = new List<RectKind>();
        int i = 0;
        for (int y = 0; y < Image.Height; y += 128)
        {
            for (int x = 0; x < Image.Width; x += 256, i++)
            {
                var rect = new PixelRect(x, y, 256, 128);
                switch (i % 4)
                {
                    case 0:
                        EncodingImages.Flat(Image, rect, (byte)i, (byte)(2 * i), (byte)(3 * i), seed: i);
                        kinds.Add(RectKind.Solid);
                        break;
                    case 1:
                        EncodingImages.Text(Image, rect, seed: i);
                        kinds.Add(RectKind.Png);
                        break;
                    case 2:
                        EncodingImages.Gradient(Image, rect, seed: i);
                        kinds.Add(RectKind.Jpeg);
                        break;
                    default:
                        EncodingImages.Noise(Image, rect, seed: i);
                        kinds.Add(RectKind.Jpeg);
                        break;
                }
                rects.Add(rect);
            }
        }
        // A fixed shuffle of the list (and the kinds with it).
        var random = new Random(6);
        for (int n = rects.Count - 1; n > 0; n--)
        {
            int k = random.Next(n + 1);
            (rects[n], rects[k]) = (rects[k], rects[n]);
            (kinds[n], kinds[k]) = (kinds[k], kinds[n]);
        }
        Rects = rects;
        Kinds = kinds;
    }

    public TestImage Image { get; }
    public IReadOnlyList<PixelRect> Rects { get; }
    public IReadOnlyList<RectKind> Kinds { get; }
}
