using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>A rectangle and the kind it is to be encoded as.</summary>
/// <param name="Rgb">For <see cref="RectKind.Solid"/>, the colour as 0x00RRGGBB; otherwise 0.</param>
internal readonly record struct ClassifiedRect(PixelRect Rect, RectKind Kind, uint Rgb);
